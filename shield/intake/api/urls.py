"""/api/v1/screenings/, /api/v1/screening-instruments/ (read only) and /api/v1/tips/."""

from django.urls import path

from shield.intake.api import views

urlpatterns = [
    path("screening-instruments/", views.InstrumentListView.as_view(), name="api-instrument-list"),
    path(
        "screening-instruments/<uuid:instrument_id>/",
        views.InstrumentDetailView.as_view(),
        name="api-instrument-detail",
    ),
    path("screenings/", views.ScreeningListView.as_view(), name="api-screening-list"),
    path("screenings/<uuid:screening_id>/", views.ScreeningDetailView.as_view(), name="api-screening-detail"),
    path(
        "screenings/<uuid:screening_id>/complete/",
        views.ScreeningCompleteView.as_view(),
        name="api-screening-complete",
    ),
    path("tips/", views.TipListView.as_view(), name="api-tip-list"),
    path("tips/<uuid:tip_id>/", views.TipDetailView.as_view(), name="api-tip-detail"),
    path("tips/<uuid:tip_id>/triage/", views.TipTriageView.as_view(), name="api-tip-triage"),
]
