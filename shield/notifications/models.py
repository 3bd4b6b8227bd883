"""Notifications app models (filled in by issue 14)."""
