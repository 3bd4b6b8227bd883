"""Pages of the justice app's proceedings part (included by shield/justice/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
