"""Returns: the followup part."""
