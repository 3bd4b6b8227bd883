"""/api/v1/statistics/: indicators, tables, exports and releases (each part adds its routes below)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# International shapes (issue15-shapes).
from django.urls import path  # noqa: E402

from shield.statistics.shapes import api as shapes_api  # noqa: E402

urlpatterns += [
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
]
