"""Pages of the referrals app's directory part (included by shield/referrals/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from shield.referrals.directory import hsds_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("directory/", views.service_search, name="directory"),
    path("directory/services/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("directory/services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path("directory/services/<uuid:service_id>/capacity/", views.service_capacity, name="service_capacity"),
    path("directory/services/<uuid:service_id>/status/", views.service_status, name="service_status"),
    path("directory/providers/new/", views.provider_create, name="provider_create"),
    path("directory/providers/<uuid:provider_id>/", views.provider_detail, name="provider_detail"),
    path("directory/providers/<uuid:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path("directory/providers/<uuid:provider_id>/services/new/", views.service_create, name="service_create"),
    path("directory/hsds/import/", hsds_views.hsds_import_page, name="hsds_import"),
    path("directory/hsds/export/", hsds_views.hsds_export_download, name="hsds_export"),
    path("directory/hsds/exports/", hsds_views.hsds_exports_page, name="hsds_exports"),
    path(
        "directory/hsds/exports/<uuid:export_id>/", hsds_views.hsds_export_detail, name="hsds_export_detail"
    ),
    path(
        "directory/hsds/exports/<uuid:export_id>/download/",
        hsds_views.hsds_export_file,
        name="hsds_export_file",
    ),
]
