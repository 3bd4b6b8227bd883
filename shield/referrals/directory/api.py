"""The directory's REST API under /api/v1/referrals/: services, providers, capacity and status.

Reads need one of the directory's permissions (`access.can_use_directory`); writes the keepers'
(`referrals.manage_directory`, the provider in reach) or, for capacity, the provider's own staff.
Edits carry If-Match (or `version` in the body): 412 when stale, 428 when missing. A detail read
is audited; a list never carries a hidden (shelter) address, a detail only to those who may see it.
"""

import uuid
from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases.api import schema
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import PermissionRefused, ValidationFailed, VersionRequired
from shield.core.models import VersionedModel
from shield.geo.models import Commune, Province
from shield.referrals.directory import access, selectors, services, taxonomy
from shield.referrals.directory.forms import LANGUAGES, SEXES
from shield.referrals.models import Provider, Service, ServiceStatus, VictimStatusEligibility

SERVICE_TYPE = Service._meta.label_lower
PROVIDER_TYPE = Provider._meta.label_lower


class ByNamePagination(CheckedCursorPagination):
    ordering = ("name", "id")
    max_page_size = 100


# --- Serializers ---------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "maxLength": 2, "description": "Province code."})
class ProvinceField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Province.objects.all(), **kwargs)


@extend_schema_field({"type": "string", "maxLength": 5, "description": "Commune code."})
class CommuneField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Commune.objects.all(), **kwargs)


class CapacityOutSerializer(serializers.Serializer[Service]):
    unit = serializers.CharField(source="capacity_unit")
    available = serializers.IntegerField(source="capacity_available", allow_null=True)
    maximum = serializers.IntegerField(source="capacity_maximum", allow_null=True)
    updated_at = serializers.DateTimeField(source="capacity_updated_at", allow_null=True)
    has_capacity_now = serializers.SerializerMethodField()

    def get_has_capacity_now(self, obj: Service) -> bool:
        return selectors.has_capacity_now(obj)


class ProviderBriefSerializer(serializers.Serializer[Provider]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    is_external = serializers.BooleanField()


class ServiceSerializer(serializers.Serializer[Service]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField()
    service_type = serializers.CharField()
    service_type_label = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ServiceStatus.choices)
    provider = ProviderBriefSerializer()
    province = serializers.CharField(source="province.code", read_only=True)
    description = serializers.CharField()
    response_hours = serializers.IntegerField(allow_null=True)
    min_age = serializers.IntegerField(allow_null=True)
    max_age = serializers.IntegerField(allow_null=True)
    sexes = serializers.ListField(source="sex_codes", child=serializers.CharField())
    victim_status = serializers.ChoiceField(choices=VictimStatusEligibility.choices)
    nationalities = serializers.ListField(source="nationality_codes", child=serializers.CharField())
    languages = serializers.ListField(source="language_codes", child=serializers.CharField())
    child_friendly = serializers.BooleanField()
    schedule = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    address_redacted = serializers.BooleanField()
    address = serializers.SerializerMethodField(help_text="Null when hidden from you (a shelter's address).")
    commune = serializers.CharField(source="commune.code", read_only=True, allow_null=True, default=None)
    capacity = CapacityOutSerializer(source="*")
    updated_at = serializers.DateTimeField()

    def get_service_type_label(self, obj: Service) -> str:
        return taxonomy.label_of(obj.service_type)

    def get_address(self, obj: Service) -> str | None:
        if not obj.address_redacted:
            return obj.address
        user = self.context.get("user")
        if self.context.get("detail") and user is not None and access.address_visible_to(user, obj):
            return obj.address
        return None


class ServiceDetailSerializer(ServiceSerializer):
    areas = serializers.SerializerMethodField()

    def get_areas(self, obj: Service) -> list[str]:
        return [a.province.code for a in selectors.areas_of(obj)]


class ServiceWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    service_type = serializers.ChoiceField(choices=[])
    province = ProvinceField()
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    response_hours = serializers.IntegerField(min_value=1, max_value=720, required=False, allow_null=True)
    min_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    sexes = serializers.ListField(child=serializers.ChoiceField(choices=SEXES), required=False, max_length=3)
    victim_status = serializers.ChoiceField(choices=VictimStatusEligibility.choices, required=False)
    nationalities = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False, max_length=30
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), required=False, max_length=10
    )
    child_friendly = serializers.BooleanField(required=False)
    areas = serializers.ListField(child=ProvinceField(), required=False, max_length=34)
    schedule = serializers.CharField(max_length=500, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    commune = CommuneField(required=False, allow_null=True)
    address_redacted = serializers.BooleanField(required=False)
    capacity_unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    capacity_maximum = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False, write_only=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["service_type"]
        assert isinstance(kind, serializers.ChoiceField)
        kind.choices = taxonomy.choices()

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k not in ("areas", "version", "provider")}

    def areas_served(self) -> list[tuple[Province, Commune | None]] | None:
        if "areas" not in self.validated_data:
            return None
        return [(p, None) for p in self.validated_data["areas"]]


class ServiceCreateSerializer(ServiceWriteSerializer):
    provider = serializers.UUIDField()


class CapacitySerializer(serializers.Serializer[Any]):
    available = serializers.IntegerField(min_value=0, max_value=100_000)
    maximum = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True)
    unit = serializers.CharField(max_length=40, required=False)
    version = serializers.IntegerField(required=False, write_only=True)


class StatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ServiceStatus.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, write_only=True)


class ProviderSerializer(serializers.Serializer[Provider]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField()
    agency = serializers.CharField(source="agency.code", read_only=True, allow_null=True, default=None)
    is_external = serializers.BooleanField()
    kind = serializers.CharField()
    province = serializers.CharField(source="province.code", read_only=True)
    description = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ProviderWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    province = ProvinceField()
    kind = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text="An agency kind, such as `health` or `ngo`.",
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    website = serializers.URLField(max_length=300, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False, write_only=True)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k not in ("version", "agency")}


@extend_schema_field({"type": "string", "maxLength": 60, "description": "Agency code."})
class AgencyCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Agency.objects.filter(is_active=True), **kwargs)


class ProviderCreateSerializer(ProviderWriteSerializer):
    agency = AgencyCodeField(required=False, allow_null=True)


class ServiceFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    province = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="Province code."
    )
    service_type = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    age = serializers.IntegerField(min_value=0, max_value=120, required=False)
    sex = serializers.ChoiceField(choices=SEXES, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, allow_blank=True)
    child_friendly = serializers.BooleanField(required=False, default=False)
    has_capacity = serializers.BooleanField(required=False, default=False)
    include_closed = serializers.BooleanField(required=False, default=False)
    provider = serializers.UUIDField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["service_type"]
        assert isinstance(kind, serializers.ChoiceField)
        kind.choices = taxonomy.choices()

    def filters(self) -> selectors.ServiceFilters:
        given = self.validated_data
        province_id = None
        if code := (given.get("province") or "").strip():
            province = Province.objects.filter(code=code).first()
            if province is None:
                raise ValidationFailed(field_errors={"province": [_("No province has this code.")]})
            province_id = province.pk
        return selectors.ServiceFilters(
            q=given.get("q", ""),
            province=province_id,
            service_type=given.get("service_type", ""),
            age=given.get("age"),
            sex=given.get("sex", ""),
            language=given.get("language", ""),
            child_friendly=given["child_friendly"],
            has_capacity=given["has_capacity"],
            include_closed=given["include_closed"],
            provider=given.get("provider"),
        )


# --- Views ---------------------------------------------------------------------------------------


class DirectoryPermission(BasePermission):
    """Reads: the directory's readers. Writes: the keepers, or (capacity) the provider's staff;
    finer refusals (a provider out of reach) are the services'."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            return access.can_use_directory(user)
        if getattr(view, "staff_may_write", False):
            return access.can_use_directory(user) and (
                access.manages_directory(user) or user.has_perm(access.DELIVER)
            )
        return access.manages_directory(user)


class DirectoryAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, DirectoryPermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = SERVICE_TYPE
    staff_may_write = False

    def user(self) -> User:
        return cast(User, self.request.user)

    def version_of(self, request: Request, current: VersionedModel) -> int:
        version = expected_version(request, current)
        if version is None:
            raise VersionRequired()
        return version

    def service(self) -> Service:
        return selectors.service_get_for(user=self.user(), service_id=self.kwargs["service_id"])

    def service_response(self, service: Service, *, status_code: int = status.HTTP_200_OK) -> Response:
        service = selectors.service_get_for(user=self.user(), service_id=service.pk)
        data = ServiceDetailSerializer(service, context={"user": self.user(), "detail": True}).data
        return with_etag(Response(data, status=status_code), service)

    def provider_response(self, provider: Provider, *, status_code: int = status.HTTP_200_OK) -> Response:
        return with_etag(Response(ProviderSerializer(provider).data, status=status_code), provider)


ERRORS = {400: schema.BAD_REQUEST, 403: schema.FORBIDDEN, 404: schema.NOT_FOUND}
WRITE_ERRORS = ERRORS | {412: schema.STALE, 428: schema.VERSION_REQUIRED}


class ServiceListView(DirectoryAPIView):
    serializer_class = ServiceSerializer
    pagination_class = ByNamePagination

    @extend_schema(
        operation_id="referrals_directory_services_list",
        summary="Search the service directory",
        description=(
            "Folded words in any order (every word must match) and filters. Hidden addresses are null."
        ),
        parameters=[
            ServiceFilterSerializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Services per page (up to 100)."),
        ],
        responses={200: ServiceSerializer(many=True)} | ERRORS,
        tags=["directory"],
    )
    def get(self, request: Request) -> Response:
        query = ServiceFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.filters()
        found = selectors.service_search_for(user=self.user(), filters=filters)
        page = self.paginate_queryset(found)
        assert page is not None
        data = ServiceSerializer(cast(Any, page), many=True, context={"user": self.user()}).data
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=SERVICE_TYPE,
            search=filters.q,
            details={"filters": filters.used()},
        )
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="referrals_directory_services_create",
        summary="Add a service",
        request=ServiceCreateSerializer,
        responses={201: ServiceDetailSerializer} | ERRORS,
        tags=["directory"],
    )
    def post(self, request: Request) -> Response:
        body = ServiceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        provider = selectors.provider_get_for(user=self.user(), provider_id=body.validated_data["provider"])
        service = services.service_create(
            actor=self.user(), provider=provider, data=body.changes(), areas=body.areas_served() or ()
        )
        return self.service_response(service, status_code=status.HTTP_201_CREATED)


class ServiceDetailView(DirectoryAPIView):
    serializer_class = ServiceDetailSerializer

    @extend_schema(
        operation_id="referrals_directory_services_retrieve",
        summary="One service",
        responses={200: ServiceDetailSerializer} | ERRORS,
        parameters=[schema.ETAG],
        tags=["directory"],
    )
    def get(self, request: Request, service_id: uuid.UUID) -> Response:
        service = self.service()
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=service.provider.agency, obj=service)
        return self.service_response(service)

    @extend_schema(
        operation_id="referrals_directory_services_update",
        summary="Change a service",
        request=ServiceWriteSerializer(partial=True),
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: ServiceDetailSerializer} | WRITE_ERRORS,
        tags=["directory"],
    )
    def patch(self, request: Request, service_id: uuid.UUID) -> Response:
        service = self.service()
        if not access.manages_provider(self.user(), service.provider):
            raise PermissionRefused()
        version = self.version_of(request, service)
        body = ServiceWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.service_update(
            actor=self.user(),
            service=service,
            expected_version=version,
            changes=body.changes(),
            areas=body.areas_served(),
        )
        return self.service_response(service)


class ServiceCapacityView(DirectoryAPIView):
    serializer_class = CapacitySerializer
    staff_may_write = True

    @extend_schema(
        operation_id="referrals_directory_services_capacity",
        summary="Update a service's capacity now",
        request=CapacitySerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: ServiceDetailSerializer} | WRITE_ERRORS,
        tags=["directory"],
    )
    def put(self, request: Request, service_id: uuid.UUID) -> Response:
        service = self.service()
        if not access.may_set_capacity(self.user(), service):
            raise PermissionRefused()
        version = self.version_of(request, service)
        body = CapacitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        services.service_capacity_set(
            actor=self.user(),
            service=service,
            expected_version=version,
            available=given["available"],
            maximum=given.get("maximum"),
            unit=given.get("unit"),
        )
        return self.service_response(service)


class ServiceStatusView(DirectoryAPIView):
    serializer_class = StatusSerializer

    @extend_schema(
        operation_id="referrals_directory_services_status",
        summary="Open, close for a while, or close a service",
        request=StatusSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: ServiceDetailSerializer} | WRITE_ERRORS,
        tags=["directory"],
    )
    def post(self, request: Request, service_id: uuid.UUID) -> Response:
        service = self.service()
        if not access.manages_provider(self.user(), service.provider):
            raise PermissionRefused()
        version = self.version_of(request, service)
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.service_status_set(
            actor=self.user(),
            service=service,
            expected_version=version,
            status=body.validated_data["status"],
            reason=body.validated_data.get("reason", ""),
        )
        return self.service_response(service)


class ProviderListView(DirectoryAPIView):
    serializer_class = ProviderSerializer
    pagination_class = ByNamePagination
    object_type = PROVIDER_TYPE

    @extend_schema(
        operation_id="referrals_directory_providers_list",
        summary="Providers in the directory",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Words of the name.")],
        responses={200: ProviderSerializer(many=True)} | ERRORS,
        tags=["directory"],
    )
    def get(self, request: Request) -> Response:
        q = (request.query_params.get("q") or "")[:200]
        page = self.paginate_queryset(selectors.provider_list_for(user=self.user(), q=q))
        assert page is not None
        audit.record(action=AuditAction.LIST, actor=self.user(), object_type=PROVIDER_TYPE, search=q)
        return self.get_paginated_response(ProviderSerializer(cast(Any, page), many=True).data)

    @extend_schema(
        operation_id="referrals_directory_providers_create",
        summary="Add a provider",
        description=(
            "`agency` (its code) for a Shield agency; none for an external provider (system administrators)."
        ),
        request=ProviderCreateSerializer,
        responses={201: ProviderSerializer} | ERRORS,
        tags=["directory"],
    )
    def post(self, request: Request) -> Response:
        body = ProviderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        provider = services.provider_create(
            actor=self.user(), agency=body.validated_data.get("agency"), **body.changes()
        )
        return self.provider_response(provider, status_code=status.HTTP_201_CREATED)


class ProviderDetailView(DirectoryAPIView):
    serializer_class = ProviderSerializer
    object_type = PROVIDER_TYPE

    def provider(self) -> Provider:
        return selectors.provider_get_for(user=self.user(), provider_id=self.kwargs["provider_id"])

    @extend_schema(
        operation_id="referrals_directory_providers_retrieve",
        summary="One provider",
        parameters=[schema.ETAG],
        responses={200: ProviderSerializer} | ERRORS,
        tags=["directory"],
    )
    def get(self, request: Request, provider_id: uuid.UUID) -> Response:
        provider = self.provider()
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=provider.agency, obj=provider)
        return self.provider_response(provider)

    @extend_schema(
        operation_id="referrals_directory_providers_update",
        summary="Change a provider",
        request=ProviderWriteSerializer(partial=True),
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: ProviderSerializer} | WRITE_ERRORS,
        tags=["directory"],
    )
    def patch(self, request: Request, provider_id: uuid.UUID) -> Response:
        provider = self.provider()
        if not access.manages_provider(self.user(), provider):
            raise PermissionRefused()
        version = self.version_of(request, provider)
        body = ProviderWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.provider_update(
            actor=self.user(), provider=provider, expected_version=version, changes=body.changes()
        )
        return self.provider_response(provider)
