"""API routes of the justice app's children part (included under /api/v1/justice/)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.children import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("children/rules/", api.RulesView.as_view(), name="api-justice-child-rules"),
    path("children/parties/<uuid:party_id>/", api.PartyChildView.as_view(), name="api-justice-child-party"),
    path(
        "children/parties/<uuid:party_id>/interviews/",
        api.PartyInterviewsView.as_view(),
        name="api-justice-child-interviews",
    ),
    path(
        "children/parties/<uuid:party_id>/diversions/",
        api.PartyDiversionsView.as_view(),
        name="api-justice-child-diversions",
    ),
    path(
        "children/interviews/<uuid:interview_id>/",
        api.InterviewDetailView.as_view(),
        name="api-justice-child-interview",
    ),
    path(
        "children/interviews/<uuid:interview_id>/cancel/",
        api.InterviewCancelView.as_view(),
        name="api-justice-child-interview-cancel",
    ),
    path(
        "children/diversions/<uuid:diversion_id>/",
        api.DiversionDetailView.as_view(),
        name="api-justice-child-diversion",
    ),
    path(
        "children/diversions/<uuid:diversion_id>/end/",
        api.DiversionEndView.as_view(),
        name="api-justice-child-diversion-end",
    ),
    path(
        "children/reports/<uuid:report_id>/", api.ReportSubmitView.as_view(), name="api-justice-child-report"
    ),
]
