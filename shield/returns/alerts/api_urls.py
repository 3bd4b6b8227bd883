"""API of the alerts part (mounted under /api/v1/returns/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
