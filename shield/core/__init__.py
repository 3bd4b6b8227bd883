"""Shared foundations: base models, application errors, request context, htmx helpers."""
