"""Statistics pages: dashboards, pivot, exports, releases (each part adds its paths below)."""

from django.urls import URLPattern, URLResolver

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = []

# Releases (issue15-release).
from django.urls import path  # noqa: E402

from shield.statistics import release_views  # noqa: E402

urlpatterns += [
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
]

# International shapes (issue15-shapes): GLOTIP, SDMX, HTCDS exports and the population table.
from shield.statistics.shapes import views as shapes_views  # noqa: E402

urlpatterns += [
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
]
