"""Pages of the referrals app's support part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
