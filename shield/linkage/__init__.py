"""Finding the same person recorded twice: the pure engine (`linkage.engine`) and its command line."""
