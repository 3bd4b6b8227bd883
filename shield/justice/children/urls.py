"""Pages of the justice app's children part (included by shield/justice/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.children import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("children/", views.child_worklist, name="child_worklist"),
    path("children/rules/", views.rules_page, name="child_rules"),
    path("children/rules/values/", views.rule_value_create, name="child_rule_value_create"),
    path("children/parties/<uuid:party_id>/", views.child_party, name="child_party"),
    path(
        "children/parties/<uuid:party_id>/interviews/", views.interview_create, name="child_interview_create"
    ),
    path("children/parties/<uuid:party_id>/deadlines/", views.deadline_met, name="child_deadline_met"),
    path(
        "children/parties/<uuid:party_id>/diversion/", views.diversion_create, name="child_diversion_create"
    ),
    path("children/interviews/<uuid:interview_id>/", views.interview_detail, name="child_interview"),
    path(
        "children/interviews/<uuid:interview_id>/cancel/",
        views.interview_change,
        {"action": "cancel"},
        name="child_interview_cancel",
    ),
    path(
        "children/interviews/<uuid:interview_id>/held/",
        views.interview_change,
        {"action": "held"},
        name="child_interview_held",
    ),
    path("children/diversions/<uuid:diversion_id>/", views.diversion_detail, name="child_diversion"),
    path("children/diversions/<uuid:diversion_id>/end/", views.diversion_end, name="child_diversion_end"),
    path("children/reports/<uuid:report_id>/", views.report_submit, name="child_report_submit"),
]
