"""Pages of the justice app's proceedings part (included by shield/justice/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.proceedings import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.proceeding_list, name="proceeding_list"),
    path("worklist/", views.worklist_page, name="worklist"),
    path("proceedings/new/", views.proceeding_open, name="proceeding_open"),
    path("proceedings/<uuid:proceeding_id>/", views.proceeding_detail, name="proceeding_detail"),
    path("proceedings/<uuid:proceeding_id>/steps/", views.step_add, name="step_add"),
    path("proceedings/<uuid:proceeding_id>/hand-over/", views.hand_over, name="hand_over"),
    path("proceedings/<uuid:proceeding_id>/assignments/", views.assign, name="assign"),
    path(
        "proceedings/<uuid:proceeding_id>/assignments/<uuid:assignment_id>/end/",
        views.unassign,
        name="unassign",
    ),
    path("proceedings/<uuid:proceeding_id>/parties/", views.party_add, name="party_add"),
    path(
        "proceedings/<uuid:proceeding_id>/parties/<uuid:party_id>/outcome/",
        views.party_outcome,
        name="party_outcome",
    ),
    path(
        "proceedings/<uuid:proceeding_id>/parties/<uuid:party_id>/case/", views.party_link, name="party_link"
    ),
]
