"""/api/v1/linkage/: review pairs and their decisions, and linkage runs."""

from django.urls import path

from shield.linkage.api import views

urlpatterns = [
    path("review-pairs/", views.ReviewPairListView.as_view(), name="api-linkage-pair-list"),
    path(
        "review-pairs/<uuid:pair_id>/", views.ReviewPairDetailView.as_view(), name="api-linkage-pair-detail"
    ),
    path(
        "review-pairs/<uuid:pair_id>/decision/",
        views.ReviewPairDecisionView.as_view(),
        name="api-linkage-pair-decision",
    ),
    path("runs/", views.RunListView.as_view(), name="api-linkage-run-list"),
]
