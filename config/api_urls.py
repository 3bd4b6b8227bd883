"""The REST API, version 1: each app adds its routes here; schema and docs are served offline.

The schema and its docs need sign-in, as every other API route does: they map every endpoint and
field of a system about victims of crime, which is no one's business but its users'. A path that
matches no route (a malformed id among them) answers the API's JSON 404, not an HTML page.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from shield.accounts.api import tokens as token_api
from shield.accounts.api import views as account_api
from shield.core.api.index import ApiIndexView
from shield.core.api.views import api_not_found

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("auth/token/", account_api.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", token_api.TokenSignOutView.as_view(), name="api-token-sign-out"),
    path("auth/tokens/", token_api.TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/revoke-all/", token_api.TokenRevokeAllView.as_view(), name="api-token-revoke-all"),
    path("auth/tokens/<uuid:token_id>/revoke/", token_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/member-tokens/", token_api.MemberTokenListView.as_view(), name="api-member-token-list"),
    path("me/", account_api.MeView.as_view(), name="api-me"),
    path("persons/", include("shield.people.api.urls")),
    path("cases/", include("shield.cases.api.urls")),
    path("", include("shield.intake.api.urls")),
    path("linkage/", include("shield.linkage.api.urls")),
    path("referrals/", include("shield.referrals.api_urls")),
    path("justice/", include("shield.justice.api_urls")),
    path("returns/", include("shield.returns.api_urls")),
    path("notifications/", include("shield.notifications.api.urls")),
    path("statistics/", include("shield.statistics.api.urls")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    # The split view serves its start-up script as a file, so the strict CSP needs no exception.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[IsAuthenticated]),
        name="api-docs",
    ),
    # Last: whatever no route above matched.
    re_path(r"^", api_not_found, name="api-not-found"),
]
