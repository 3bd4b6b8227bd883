"""Statistics pages: dashboards, pivot, exports, releases (each part adds its paths below)."""

from django.urls import URLPattern, URLResolver

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = []
