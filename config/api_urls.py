"""The REST API, version 1: each app adds its routes here; schema and docs are served offline."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shield.accounts.api import views as account_api

urlpatterns = [
    path("auth/token/", account_api.TokenView.as_view(), name="api-token"),
    path("me/", account_api.MeView.as_view(), name="api-me"),
    path("persons/", include("shield.people.api.urls")),
    path("cases/", include("shield.cases.api.urls")),
    path("", include("shield.intake.api.urls")),
    path("linkage/", include("shield.linkage.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the strict CSP needs no exception.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
