"""Pages of the referrals app's directory part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
