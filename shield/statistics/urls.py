"""Statistics pages: the dashboard, the pivot, downloads, the national report, exports and releases."""

from django.urls import path

from shield.statistics.juvenile_justice.views import juvenile_justice_page
from shield.statistics.shapes import views as shapes_views
from shield.statistics.views import dashboard as dashboard_views
from shield.statistics.views import downloads as download_views
from shield.statistics.views import pivot as pivot_views
from shield.statistics.views import releases as release_views
from shield.statistics.views import report as report_views

app_name = "statistics"

urlpatterns = [
    # Releases.
    path("releases/", release_views.release_list, name="release_list"),
    path("releases/new/", release_views.release_create, name="release_create"),
    path("releases/<uuid:release_id>/", release_views.release_detail, name="release_detail"),
    path("releases/<uuid:release_id>/submit/", release_views.release_submit, name="release_submit"),
    path("releases/<uuid:release_id>/approve/", release_views.release_approve, name="release_approve"),
    path("releases/<uuid:release_id>/rebuild/", release_views.release_rebuild, name="release_rebuild"),
    path("releases/<uuid:release_id>/return/", release_views.release_return, name="release_return"),
    path("releases/<uuid:release_id>/correct/", release_views.release_correct, name="release_correct"),
    path(
        "releases/<uuid:release_id>/download.<str:fmt>",
        release_views.release_download,
        name="release_download",
    ),
    # Dashboard, pivot, table downloads, PDF national report.
    path("", dashboard_views.dashboard, name="dashboard"),
    path("pivot/", pivot_views.pivot, name="pivot"),
    path("tables/download/", download_views.table_download, name="table_download"),
    path("report/", report_views.report, name="report"),
    path("report/<uuid:report_id>/", report_views.report_detail, name="report_detail"),
    path("report/<uuid:report_id>/download/", report_views.report_download, name="report_download"),
    # International shapes: GLOTIP, SDMX, HTCDS exports and the population table.
    path("exports/glotip/", shapes_views.glotip_export, name="export_glotip"),
    path("exports/sdmx/", shapes_views.sdmx_export, name="export_sdmx"),
    path("exports/htcds/", shapes_views.htcds_exports, name="export_htcds"),
    path("exports/htcds/<uuid:export_id>/", shapes_views.htcds_export_detail, name="export_htcds_detail"),
    path(
        "exports/htcds/<uuid:export_id>/download/",
        shapes_views.htcds_export_download,
        name="export_htcds_download",
    ),
    path("exports/table/", shapes_views.table_export, name="export_table"),
    path("population/", shapes_views.population_page, name="population"),
    path("juvenile-justice/", juvenile_justice_page, name="juvenile_justice"),
]
