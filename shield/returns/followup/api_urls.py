"""API of the followup part (mounted under /api/v1/returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.followup import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("follow-ups/", api.FollowUpListView.as_view(), name="api-followup-list"),
    path("follow-ups/<uuid:followup_id>/", api.FollowUpDetailView.as_view(), name="api-followup-detail"),
    path(
        "follow-ups/<uuid:followup_id>/record/", api.FollowUpRecordView.as_view(), name="api-followup-record"
    ),
    path("plans/", api.PlanCreateView.as_view(), name="api-plan-create"),
    path("plans/<uuid:plan_id>/", api.PlanDetailView.as_view(), name="api-plan-detail"),
    path("plans/<uuid:plan_id>/reassign/", api.PlanReassignView.as_view(), name="api-plan-reassign"),
    path(
        "plans/<uuid:plan_id>/contact-lost/",
        api.ContactLostReportView.as_view(),
        name="api-plan-contact-lost",
    ),
    path(
        "plans/<uuid:plan_id>/contact-lost/approve/",
        api.ContactLostApproveView.as_view(),
        name="api-plan-contact-lost-approve",
    ),
]
