"""/api/v1/statistics/: indicators, tables, exports and releases (each part adds its routes below)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# Indicators, tables and releases (issue15-release).
from django.urls import path  # noqa: E402

from shield.statistics.api import release_views  # noqa: E402

urlpatterns += [
    path("indicators/", release_views.IndicatorListView.as_view(), name="api-statistics-indicator-list"),
    path("tables/", release_views.TableView.as_view(), name="api-statistics-table"),
    path("releases/", release_views.ReleaseListView.as_view(), name="api-statistics-release-list"),
    path(
        "releases/<uuid:release_id>/",
        release_views.ReleaseDetailView.as_view(),
        name="api-statistics-release-detail",
    ),
    path(
        "releases/<uuid:release_id>/submit/",
        release_views.ReleaseSubmitView.as_view(),
        name="api-statistics-release-submit",
    ),
    path(
        "releases/<uuid:release_id>/rebuild/",
        release_views.ReleaseRebuildView.as_view(),
        name="api-statistics-release-rebuild",
    ),
    path(
        "releases/<uuid:release_id>/approve/",
        release_views.ReleaseApproveView.as_view(),
        name="api-statistics-release-approve",
    ),
    path(
        "releases/<uuid:release_id>/return/",
        release_views.ReleaseReturnView.as_view(),
        name="api-statistics-release-return",
    ),
    path(
        "releases/<uuid:release_id>/correct/",
        release_views.ReleaseCorrectView.as_view(),
        name="api-statistics-release-correct",
    ),
]
