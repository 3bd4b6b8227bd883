"""/api/v1/statistics/: indicators, tables, releases, exports and the population table."""

from django.urls import path

from shield.statistics.api import views as release_views
from shield.statistics.juvenile_justice.api import JuvenileJusticeAPI
from shield.statistics.shapes import api as shapes_api

urlpatterns = [
    # Indicators, tables and releases.
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
    # International shapes.
    path("exports/glotip/", shapes_api.GlotipExportAPI.as_view(), name="statistics-export-glotip"),
    path("exports/sdmx/", shapes_api.SdmxExportAPI.as_view(), name="statistics-export-sdmx"),
    path("exports/htcds/", shapes_api.HtcdsExportListAPI.as_view(), name="statistics-export-htcds"),
    path(
        "exports/htcds/<uuid:export_id>/",
        shapes_api.HtcdsExportDetailAPI.as_view(),
        name="statistics-export-htcds-detail",
    ),
    path(
        "exports/htcds/<uuid:export_id>/download/",
        shapes_api.HtcdsExportDownloadAPI.as_view(),
        name="statistics-export-htcds-download",
    ),
    path("population/", shapes_api.PopulationAPI.as_view(), name="statistics-population"),
    path("juvenile-justice/", JuvenileJusticeAPI.as_view(), name="statistics-juvenile-justice"),
]
