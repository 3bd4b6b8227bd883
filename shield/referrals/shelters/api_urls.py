"""API routes of the referrals app's shelters part (included under /api/v1/referrals/)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.shelters import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("vacancies/", api.VacancyListView.as_view(), name="api-vacancy-list"),
    path("shelters/", api.ShelterListView.as_view(), name="api-shelter-list"),
    path("shelters/<uuid:service_id>/", api.ShelterDetailView.as_view(), name="api-shelter-detail"),
    path(
        "shelters/<uuid:service_id>/inventory/",
        api.InventoryCreateView.as_view(),
        name="api-shelter-inventory",
    ),
    path("shelters/<uuid:service_id>/stays/", api.StayListView.as_view(), name="api-shelter-stays"),
    path("shelters/<uuid:service_id>/admit/", api.AdmitView.as_view(), name="api-shelter-admit"),
    path("shelters/<uuid:service_id>/holds/", api.HoldListView.as_view(), name="api-shelter-holds"),
    path("shelters/stays/<uuid:stay_id>/", api.StayDetailView.as_view(), name="api-stay-detail"),
    path("shelters/stays/<uuid:stay_id>/discharge/", api.DischargeView.as_view(), name="api-stay-discharge"),
    path("shelters/holds/<uuid:hold_id>/release/", api.HoldReleaseView.as_view(), name="api-hold-release"),
]
