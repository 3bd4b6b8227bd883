"""Pages of the reception part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.reception import support_views, views

R = "<uuid:return_id>"
V = "verifications/<uuid:request_id>"
E = "receptions/<uuid:event_id>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.return_list, name="return_list"),
    path("new/", views.return_create, name="return_create"),
    path(f"{R}/", views.return_detail, name="return_detail"),
    path(f"{R}/cancel/", views.return_cancel, name="return_cancel"),
    path(f"{R}/verification/new/", views.verification_receive, name="verification_receive"),
    path("verifications/", views.verification_list, name="verification_list"),
    path(f"{V}/", views.verification_detail, name="verification_detail"),
    path(f"{V}/check/", views.verification_check, name="verification_check"),
    path(f"{V}/decide/", views.verification_decide, name="verification_decide"),
    path(f"{V}/answer/", views.verification_answer, name="verification_answer"),
    path("receptions/", views.reception_list, name="reception_list"),
    path("receptions/new/", views.reception_open, name="reception_open"),
    path(f"{E}/", views.reception_detail, name="reception_detail"),
    path(f"{E}/complete/", views.reception_complete, name="reception_complete"),
    path(
        "receptions/members/<uuid:member_id>/support/",
        support_views.member_support,
        name="member_support",
    ),
]

# The group reception sitting (shield/returns/reception/sitting.py).
from shield.returns.reception import sitting  # noqa: E402

urlpatterns += [
    path("receptions/<uuid:event_id>/sitting/", sitting.reception_sitting, name="reception_sitting"),
    path("receptions/<uuid:event_id>/sitting/add/", sitting.sitting_add, name="reception_sitting_add"),
    path(
        "receptions/<uuid:event_id>/sitting/complete/",
        sitting.sitting_complete,
        name="reception_sitting_complete",
    ),
    path(
        "receptions/<uuid:event_id>/sitting/communes/",
        sitting.sitting_communes,
        name="reception_sitting_communes",
    ),
    path(
        "receptions/<uuid:event_id>/sitting/members/<uuid:member_id>/",
        sitting.sitting_member,
        name="reception_sitting_member",
    ),
    path(
        "receptions/<uuid:event_id>/sitting/members/<uuid:member_id>/draft/",
        sitting.sitting_draft,
        name="reception_sitting_draft",
    ),
    path(
        "receptions/<uuid:event_id>/sitting/members/<uuid:member_id>/refer/",
        sitting.sitting_refer,
        name="reception_sitting_refer",
    ),
]
