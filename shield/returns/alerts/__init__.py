"""Returns: the alerts part."""
