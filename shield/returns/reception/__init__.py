"""Returns: the reception part."""
