"""Pages of the reception part (mounted under /returns/)."""

from django.urls import URLPattern, URLResolver, path

from shield.returns.reception import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("verifications/", views.verification_list, name="verification_list"),
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
