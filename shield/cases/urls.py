from django.urls import path

from shield.cases import views

app_name = "cases"

C = "<uuid:case_id>"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("communes/", views.commune_options, name="commune_options"),
    path(f"{C}/", views.case_detail, name="case_detail"),
    path(f"{C}/summary.pdf", views.case_pdf, name="case_pdf"),
    path(f"{C}/risk/", views.case_risk, name="case_risk"),
    path(f"{C}/worker/", views.case_worker, name="case_worker"),
    path(f"{C}/stage/", views.case_transition, name="case_transition"),
    path(f"{C}/reopen/", views.case_reopen, name="case_reopen"),
    path(f"{C}/identification/", views.identification_add, name="identification_add"),
    path(f"{C}/trafficking/", views.trafficking_details_save, name="trafficking_details"),
    path(f"{C}/places/", views.place_add, name="place_add"),
    path(f"{C}/places/<uuid:place_id>/remove/", views.place_remove, name="place_remove"),
    path(f"{C}/assessments/", views.assessment_add, name="assessment_add"),
    path(f"{C}/plans/", views.plan_create, name="plan_create"),
    path(f"{C}/plans/<uuid:plan_id>/goals/", views.goal_add, name="goal_add"),
    path(f"{C}/plans/<uuid:plan_id>/actions/", views.action_add, name="action_add"),
    path(f"{C}/plans/<uuid:plan_id>/submit/", views.plan_submit, name="plan_submit"),
    path(f"{C}/plans/<uuid:plan_id>/approve/", views.plan_approve, name="plan_approve"),
    path(f"{C}/plans/<uuid:plan_id>/return/", views.plan_return, name="plan_return"),
    path(f"{C}/actions/<uuid:action_id>/done/", views.action_complete, name="action_complete"),
    path(f"{C}/actions/<uuid:action_id>/cancel/", views.action_cancel, name="action_cancel"),
    path(f"{C}/notes/", views.note_add, name="note_add"),
    path(f"{C}/consents/", views.consent_add, name="consent_add"),
    path(f"{C}/consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(f"{C}/transfers/", views.transfer_request, name="transfer_request"),
    path(f"{C}/transfers/<uuid:transfer_id>/accept/", views.transfer_accept, name="transfer_accept"),
    path(f"{C}/transfers/<uuid:transfer_id>/decline/", views.transfer_decline, name="transfer_decline"),
    path(f"{C}/transfers/<uuid:transfer_id>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path(f"{C}/closure/", views.closure_request, name="closure_request"),
    path(f"{C}/closure/<uuid:request_id>/approve/", views.closure_approve, name="closure_approve"),
    path(f"{C}/closure/<uuid:request_id>/return/", views.closure_return, name="closure_return"),
]
