"""HSDS 3.1 read endpoints, mounted at /hsds/ by config/urls.py (signed-in directory readers only)."""

from django.urls import URLPattern, URLResolver, path, re_path

from shield.core.api.views import api_not_found
from shield.referrals.directory import hsds_views

app_name = "hsds"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", hsds_views.HSDSRoot.as_view(), name="root"),
    path("services", hsds_views.HSDSServices.as_view(), name="services"),
    path("services/<uuid:service_id>", hsds_views.HSDSService.as_view(), name="service"),
    path("organizations", hsds_views.HSDSOrganizations.as_view(), name="organizations"),
    path("organizations/<uuid:provider_id>", hsds_views.HSDSOrganization.as_view(), name="organization"),
    # Last: a malformed id or unknown path answers in JSON, as the API does, not with an HTML page.
    re_path(r"^", api_not_found, name="not-found"),
]
