"""API of the alerts part (mounted under /api/v1/returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.alerts import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/", api.AlertListView.as_view(), name="api-alert-list"),
    path("alerts/<uuid:alert_id>/", api.AlertDetailView.as_view(), name="api-alert-detail"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        api.AlertAcknowledgeView.as_view(),
        name="api-alert-acknowledge",
    ),
]
