"""/api/v1/cases/: cases, and under each its notes, consents, identification, assessments, care
plan, stage moves, transfers and closure."""

from django.urls import path

from shield.cases.api import plan_views, record_views, transfer_views, views

CASE = "<uuid:case_id>/"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="api-case-list"),
    path(CASE, views.CaseDetailView.as_view(), name="api-case-detail"),
    path(f"{CASE}transitions/", views.CaseTransitionsView.as_view(), name="api-case-transitions"),
    path(f"{CASE}reopen/", views.CaseReopenView.as_view(), name="api-case-reopen"),
    # Records
    path(f"{CASE}notes/", record_views.CaseNotesView.as_view(), name="api-case-notes"),
    path(f"{CASE}consents/", record_views.CaseConsentsView.as_view(), name="api-case-consents"),
    path(
        f"{CASE}consents/<uuid:consent_id>/withdraw/",
        record_views.ConsentWithdrawView.as_view(),
        name="api-case-consent-withdraw",
    ),
    path(
        f"{CASE}identification/",
        record_views.CaseIdentificationView.as_view(),
        name="api-case-identification",
    ),
    path(f"{CASE}assessments/", record_views.CaseAssessmentsView.as_view(), name="api-case-assessments"),
    # Care plan
    path(f"{CASE}care-plan/", plan_views.CarePlanView.as_view(), name="api-case-care-plan"),
    path(f"{CASE}care-plan/goals/", plan_views.CarePlanGoalsView.as_view(), name="api-case-care-plan-goals"),
    path(
        f"{CASE}care-plan/actions/",
        plan_views.CarePlanActionsView.as_view(),
        name="api-case-care-plan-actions",
    ),
    path(
        f"{CASE}care-plan/actions/<uuid:action_id>/complete/",
        plan_views.ActionCompleteView.as_view(),
        name="api-case-care-plan-action-complete",
    ),
    path(
        f"{CASE}care-plan/actions/<uuid:action_id>/cancel/",
        plan_views.ActionCancelView.as_view(),
        name="api-case-care-plan-action-cancel",
    ),
    path(
        f"{CASE}care-plan/submit/", plan_views.CarePlanSubmitView.as_view(), name="api-case-care-plan-submit"
    ),
    path(
        f"{CASE}care-plan/approve/",
        plan_views.CarePlanApproveView.as_view(),
        name="api-case-care-plan-approve",
    ),
    path(
        f"{CASE}care-plan/return/", plan_views.CarePlanReturnView.as_view(), name="api-case-care-plan-return"
    ),
    # Transfers and closure
    path(f"{CASE}transfers/", transfer_views.CaseTransfersView.as_view(), name="api-case-transfers"),
    path(
        f"{CASE}transfers/<uuid:transfer_id>/accept/",
        transfer_views.TransferAcceptView.as_view(),
        name="api-case-transfer-accept",
    ),
    path(
        f"{CASE}transfers/<uuid:transfer_id>/decline/",
        transfer_views.TransferDeclineView.as_view(),
        name="api-case-transfer-decline",
    ),
    path(
        f"{CASE}transfers/<uuid:transfer_id>/cancel/",
        transfer_views.TransferCancelView.as_view(),
        name="api-case-transfer-cancel",
    ),
    path(f"{CASE}closure/", transfer_views.CaseClosureView.as_view(), name="api-case-closure"),
    path(
        f"{CASE}closure/<uuid:closure_id>/approve/",
        transfer_views.ClosureApproveView.as_view(),
        name="api-case-closure-approve",
    ),
    path(
        f"{CASE}closure/<uuid:closure_id>/return/",
        transfer_views.ClosureReturnView.as_view(),
        name="api-case-closure-return",
    ),
]
