"""API routes of the justice app's detention part (included under /api/v1/justice/)."""

from django.urls import URLPattern, URLResolver, path

from shield.justice.detention.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("detention/episodes/", views.EpisodeListView.as_view(), name="api-justice-detention-list"),
    path(
        "detention/episodes/<uuid:episode_id>/",
        views.EpisodeDetailView.as_view(),
        name="api-justice-detention-detail",
    ),
    path(
        "detention/episodes/<uuid:episode_id>/visits/",
        views.EpisodeVisitsView.as_view(),
        name="api-justice-detention-visits",
    ),
]
