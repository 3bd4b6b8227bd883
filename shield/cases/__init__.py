"""Case management for victims and children, from identification to closure."""
