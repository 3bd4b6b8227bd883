"""API routes of the justice app's proceedings part (included under /api/v1/justice/)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.proceedings.api import views

P = "proceedings/<uuid:proceeding_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("proceedings/", views.ProceedingListView.as_view(), name="api-justice-proceedings"),
    path(P, views.ProceedingDetailView.as_view(), name="api-justice-proceeding"),
    path(f"{P}steps/", views.StepsView.as_view(), name="api-justice-steps"),
    path(f"{P}holdings/", views.HoldingsView.as_view(), name="api-justice-holdings"),
    path(f"{P}assignments/", views.AssignmentsView.as_view(), name="api-justice-assignments"),
    path(
        f"{P}assignments/<uuid:assignment_id>/end/",
        views.AssignmentEndView.as_view(),
        name="api-justice-assignment-end",
    ),
    path(f"{P}timeline/", views.TimelineView.as_view(), name="api-justice-timeline"),
    path(
        "cases/<uuid:case_id>/proceedings/",
        views.CaseProceedingsView.as_view(),
        name="api-justice-case-proceedings",
    ),
    path(f"{P}parties/", views.PartiesView.as_view(), name="api-justice-parties"),
    path(f"{P}parties/<uuid:party_id>/", views.PartyDetailView.as_view(), name="api-justice-party"),
]
