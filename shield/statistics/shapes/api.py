"""/api/v1/statistics/exports/... and /api/v1/statistics/population/: the same services as the
pages, in JSON (and the HTCDS file as CSV). Exports need `statistics.export`; the population table
is read with `statistics.view` and uploaded with `statistics.export` or `accounts.manage_system`.
"""

import uuid
from typing import Any, cast

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield.accounts.models import User
from shield.accounts.policy import has_permission
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.audit.services import record
from shield.core.errors import ApplicationError, NotFound
from shield.statistics.disclosure import DisclosureError
from shield.statistics.models import HtcdsExport
from shield.statistics.shapes import exports, glotip, population, sdmx, sources
from shield.statistics.shapes.forms import FIRST_YEAR
from shield.statistics.shapes.workbooks import CSV_TYPE

YEAR = OpenApiParameter("year", int, required=True, description="The calendar year, e.g. 2025.")


class _Allowed(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        needed: tuple[str, ...] = getattr(view, "permissions_needed", ())
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            needed = getattr(view, "write_permissions", needed)
        return any(has_permission(request.user, p) for p in needed)


class ShapesAPIView(AuditedRefusals, APIView):
    permission_classes = [IsAuthenticated, _Allowed]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    permissions_needed: tuple[str, ...] = (exports.EXPORT_PERMISSION,)
    object_type = "statistics.export"

    def refused_object_id(self) -> str:
        return ""

    def user(self) -> User:
        return cast(User, self.request.user)


class YearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=2100)


def _year(request: Request) -> int:
    serializer = YearSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return int(serializer.validated_data["year"])


def _tables_or_error(request: Request, year: int) -> Any:
    try:
        return sources.glotip_tables(user=request.user, year=year)
    except PermissionError:
        return Response({"detail": "statistics.view is required"}, status=status.HTTP_403_FORBIDDEN)
    except DisclosureError:
        return Response({"detail": "the tables cannot be protected"}, status=status.HTTP_409_CONFLICT)


class GlotipExportAPI(ShapesAPIView):
    object_type = "statistics.glotip"

    @extend_schema(parameters=[YEAR], responses={200: dict}, summary="Viet Nam's GLOTIP rows of a year")
    def get(self, request: Request) -> Response:
        year = _year(request)
        tables = _tables_or_error(request, year)
        if isinstance(tables, Response):
            return tables
        rows = glotip.glotip_rows(tables, year=year)
        record(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type=self.object_type,
            object_id=str(year),
            details={"year": year, "rows": len(rows), "format": "json"},
        )
        return Response({"year": year, "columns": list(glotip.COLUMNS), "rows": rows})


class SdmxExportAPI(ShapesAPIView):
    object_type = "statistics.sdmx"

    @extend_schema(parameters=[YEAR], responses={200: dict}, summary="SDG 16.2.2 of a year (SDMX-CSV rows)")
    def get(self, request: Request) -> Response:
        year = _year(request)
        tables = _tables_or_error(request, year)
        if isinstance(tables, Response):
            return tables
        upload, figures = population.figures_for(year)
        result = sdmx.sdg_16_2_2(tables, year=year, population=figures or None)
        header, rows = sdmx.csv_rows(result)
        record(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type=self.object_type,
            object_id=str(year),
            details={
                "year": year,
                "rows": len(rows),
                "format": "json",
                "population_version": upload.number if upload else None,
            },
        )
        return Response(
            {
                "year": year,
                "header": header,
                "rows": rows,
                "population_version": upload.number if upload else None,
                "rates_missing": result.rates_missing,
            }
        )


class HtcdsExportSerializer(serializers.ModelSerializer[HtcdsExport]):
    class Meta:
        model = HtcdsExport
        fields = ["id", "year", "k", "status", "progress", "step", "report", "created_at", "finished_at"]


class HtcdsRequestSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=FIRST_YEAR)
    k = serializers.IntegerField(
        min_value=exports.MIN_K, max_value=exports.MAX_K, default=exports.htcds.CTDC_K
    )


class HtcdsExportListAPI(ShapesAPIView):
    object_type = exports.EXPORT_TYPE

    @extend_schema(
        responses={200: HtcdsExportSerializer(many=True)}, summary="Your HTCDS exports (newest 20)"
    )
    def get(self, request: Request) -> Response:
        listed = exports.htcds_export_list_for(user=request.user)
        return Response({"results": HtcdsExportSerializer(listed, many=True).data})

    @extend_schema(
        request=HtcdsRequestSerializer,
        responses={202: HtcdsExportSerializer},
        summary="Start an HTCDS export",
    )
    def post(self, request: Request) -> Response:
        serializer = HtcdsRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            export = exports.htcds_export_request(actor=self.user(), **serializer.validated_data)
        except ApplicationError as error:
            return Response(error.field_errors or {"detail": error.message}, status=error.status_code)
        return Response(HtcdsExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class HtcdsExportDetailAPI(ShapesAPIView):
    object_type = exports.EXPORT_TYPE

    @extend_schema(responses={200: HtcdsExportSerializer}, summary="An HTCDS export: progress and report")
    def get(self, request: Request, export_id: uuid.UUID) -> Response:
        try:
            export = exports.htcds_export_get_for(user=request.user, export_id=export_id)
        except NotFound:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        record(action=AuditAction.VIEW, actor=request.user, obj=export)
        return Response(HtcdsExportSerializer(export).data)


class HtcdsExportDownloadAPI(ShapesAPIView):
    object_type = exports.EXPORT_TYPE

    @extend_schema(responses={(200, "text/csv"): bytes}, summary="The HTCDS export's file (CSV)")
    def get(self, request: Request, export_id: uuid.UUID) -> Any:
        try:
            export, content = exports.htcds_export_download(actor=self.user(), export_id=export_id)
        except NotFound:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        response = HttpResponse(content, content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="htcds_VN_{export.year}_k{export.k}.csv"'
        return response


class PopulationUploadSerializer(serializers.Serializer[Any]):
    csv = serializers.CharField(max_length=population.MAX_BYTES, trim_whitespace=False)
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]
    on_error = serializers.ChoiceField(
        choices=[population.ON_ERROR_NOTHING, population.ON_ERROR_VALID_ROWS],
        default=population.ON_ERROR_NOTHING,
    )


class PopulationAPI(ShapesAPIView):
    permissions_needed = population.VIEW_PERMISSIONS
    write_permissions = population.UPLOAD_PERMISSIONS
    object_type = "statistics.populationupload"

    @extend_schema(responses={200: dict}, summary="Population uploads (newest 50)")
    def get(self, request: Request) -> Response:
        uploads = [
            {
                "version": u.number,
                "years": u.years,
                "rows": u.row_count,
                "skipped_rows": u.skipped_rows,
                "source": u.source,
                "uploaded_at": u.created_at,
            }
            for u in population.upload_list()
        ]
        return Response({"results": uploads})

    @extend_schema(
        request=PopulationUploadSerializer, responses={201: dict}, summary="Upload a population CSV"
    )
    def post(self, request: Request) -> Response:
        serializer = PopulationUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            upload, parsed = population.population_upload(
                actor=self.user(), text=data["csv"], source=data["source"], on_error=data["on_error"]
            )
        except ApplicationError as error:
            body: dict[str, Any] = {"detail": error.message, **error.field_errors}
            return Response(body, status=error.status_code)
        return Response(
            {
                "version": upload.number,
                "years": upload.years,
                "rows": upload.row_count,
                "skipped_rows": upload.skipped_rows,
                "errors": population.describe(parsed.errors),
            },
            status=status.HTTP_201_CREATED,
        )
