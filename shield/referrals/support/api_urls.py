"""API routes of the referrals app's support part (included under /api/v1/referrals/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
