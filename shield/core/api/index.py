"""The API's front door: what /api/v1/ holds, so a client (or a person) can start from one URL."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# (name, URL name, description): the top of each part; the schema describes everything beneath.
PARTS = (
    ("me", "api-me", gettext_lazy("The signed-in user, their memberships and what they may do.")),
    ("tokens", "api-token-list", gettext_lazy("Your API tokens: list them, sign them out.")),
    (
        "persons",
        "api-person-list",
        gettext_lazy("People, their identity documents, other names and relations."),
    ),
    ("cases", "api-case-list", gettext_lazy("Cases and their records, care plans, transfers and closure.")),
    (
        "screenings",
        "api-screening-list",
        gettext_lazy("Screenings at border gates and by frontline officers."),
    ),
    (
        "screening-instruments",
        "api-instrument-list",
        gettext_lazy("The screening questionnaires (read only)."),
    ),
    ("tips", "api-tip-list", gettext_lazy("Hotline tips and their triage.")),
    ("linkage-review-pairs", "api-linkage-pair-list", gettext_lazy("Possible same-person pairs to review.")),
    ("linkage-runs", "api-linkage-run-list", gettext_lazy("Linkage runs: request one, follow its progress.")),
    (
        "returns",
        "api-return-list",
        gettext_lazy(
            "Returns from abroad, verification requests, receptions at border gates and reintegration "
            "follow-up."
        ),
    ),
)


class ApiPartSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    url = serializers.URLField()
    description = serializers.CharField()


class ApiIndexSerializer(serializers.Serializer[dict[str, Any]]):
    parts = ApiPartSerializer(many=True)
    schema = serializers.URLField()
    docs = serializers.URLField()


class ApiIndexView(APIView):
    """The parts of the API, each with its URL and what it holds, and where the schema and docs are.
    Signed-in only, like the schema: the map of a system about victims is its users' business."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApiIndexSerializer})
    def get(self, request: Request) -> Response:
        data = {
            "parts": [
                {"name": name, "url": request.build_absolute_uri(reverse(url_name)), "description": str(text)}
                for name, url_name, text in PARTS
            ],
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "docs": request.build_absolute_uri(reverse("api-docs")),
        }
        return Response(ApiIndexSerializer(data).data)
