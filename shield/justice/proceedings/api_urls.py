"""API routes of the justice app's proceedings part (included under /api/v1/justice/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
