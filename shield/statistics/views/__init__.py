"""Statistics pages: the dashboard, the pivot, table downloads and the PDF national report."""
