"""The case API under /api/v1/cases/: the same selectors and services as the case pages."""
