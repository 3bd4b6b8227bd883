"""/api/v1/statistics/: indicators, tables, exports and releases (each part adds its routes below)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
