"""API routes of the referrals app's support part (included under /api/v1/referrals/)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.support import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("deliveries/", api.DeliveryListView.as_view(), name="api-delivery-list"),
    path("deliveries/<uuid:delivery_id>/", api.DeliveryDetailView.as_view(), name="api-delivery-detail"),
    path("deliveries/<uuid:delivery_id>/void/", api.DeliveryVoidView.as_view(), name="api-delivery-void"),
    path("support-regimes/", api.RegimeListView.as_view(), name="api-support-regime-list"),
]
