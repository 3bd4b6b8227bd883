"""API routes of the referrals app's directory part (included under /api/v1/referrals/)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.directory import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("services/", api.ServiceListView.as_view(), name="directory-services"),
    path("services/<uuid:service_id>/", api.ServiceDetailView.as_view(), name="directory-service"),
    path(
        "services/<uuid:service_id>/capacity/",
        api.ServiceCapacityView.as_view(),
        name="directory-service-capacity",
    ),
    path(
        "services/<uuid:service_id>/status/", api.ServiceStatusView.as_view(), name="directory-service-status"
    ),
    path("providers/", api.ProviderListView.as_view(), name="directory-providers"),
    path("providers/<uuid:provider_id>/", api.ProviderDetailView.as_view(), name="directory-provider"),
]
