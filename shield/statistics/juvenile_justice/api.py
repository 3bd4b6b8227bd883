"""GET /api/v1/statistics/juvenile-justice/?year=2025: the eleven indicators as the page prints
them (suppressed counts are null, `suppressed` true). `statistics.view`; audited as a view."""

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.core.errors import ValidationFailed
from shield.statistics.juvenile_justice.counting import (
    FIRST_YEAR,
    VIEW,
    JuvenileJusticeRequestError,
    juvenile_justice_for,
    report_as_dict,
)
from shield.statistics.juvenile_justice.views import OBJECT_TYPE


class CanViewStatistics(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm(VIEW))


class YearQuery(serializers.Serializer[dict[str, int]]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=9999)


class JuvenileJusticeAPI(AuditedRefusals, APIView):
    permission_classes = [IsAuthenticated, CanViewStatistics]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = OBJECT_TYPE

    @extend_schema(
        operation_id="statistics_juvenile_justice",
        summary="The UNODC/UNICEF juvenile-justice indicators 1-11 of a year",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        query = YearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year: int = query.validated_data["year"]
        user = cast(User, request.user)
        try:
            report = juvenile_justice_for(user=user, year=year)
        except JuvenileJusticeRequestError as exc:
            raise ValidationFailed(field_errors={"year": [str(exc)]}) from exc
        audit.record(
            action=AuditAction.VIEW,
            actor=user,
            object_type=OBJECT_TYPE,
            object_id=str(year),
            details={"year": year, "format": "api"},
        )
        return Response(report_as_dict(report))
