"""Statistics pages: dashboards, pivot, exports, releases (each part adds its paths below)."""

from django.urls import URLPattern, URLResolver

app_name = "statistics"

urlpatterns: list[URLPattern | URLResolver] = []

# International shapes (issue15-shapes): GLOTIP, SDMX, HTCDS exports and the population table.
from django.urls import path  # noqa: E402

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
