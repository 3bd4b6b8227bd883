"""The shelter API under /api/v1/referrals/: vacancies, shelters (beds, utilisation), stays,
admission, discharge, bed holds and bed inventories.

Shelters and vacancies are read by holders of `referrals.make`, `.deliver`, `.supervise` or
`.manage_directory`; stays and holds name people and follow the selectors' reach. Every read of
one record and every list of people writes an audit event. Discharges and hold releases name the
version they change (If-Match or `version`): stale 412, none 428.
"""

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shield import audit
from shield.audit.models import AuditAction
from shield.cases.api.schema import ETAG, IF_MATCH
from shield.core.api.versioning import with_etag
from shield.core.errors import ValidationFailed
from shield.core.lookups import one_or_not_found
from shield.geo.models import Province
from shield.people.selectors import display_name_for
from shield.referrals.models import (
    BedCategory,
    BedHold,
    BedInventory,
    DischargeDestination,
    Referral,
    Service,
    ShelterStay,
)
from shield.referrals.shelters import selectors, services
from shield.referrals.support import access
from shield.referrals.support.api_base import (
    ERRORS,
    VERSIONED,
    CareAPIView,
    NewestAdmittedFirst,
    ShelterOrder,
)

READERS = access.SHELTER_READERS
CARERS = (access.DELIVER, access.SUPERVISE, "cases.edit")


class CategoryBedsSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    held = serializers.IntegerField()
    free = serializers.IntegerField()


class ShelterSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="service.pk")
    name = serializers.CharField(source="service.name")
    provider = serializers.CharField(source="service.provider.name")
    province = serializers.CharField(source="service.province.name")
    status = serializers.CharField(source="service.status")
    beds = serializers.IntegerField()
    free = serializers.IntegerField()
    categories = CategoryBedsSerializer(many=True)


class InventorySerializer(serializers.ModelSerializer[BedInventory]):
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = BedInventory
        fields = [
            "id",
            "effective_from",
            "girls",
            "boys",
            "women",
            "men",
            "families",
            "total",
            "note",
            "created_at",
        ]
        read_only_fields = ["id", "total", "created_at"]
        extra_kwargs = {"note": {"max_length": 500}}


class UtilisationSerializer(serializers.Serializer[Any]):
    month = serializers.DateField()
    bed_nights = serializers.IntegerField()
    capacity_nights = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class StaySerializer(serializers.ModelSerializer[ShelterStay]):
    person_name = serializers.SerializerMethodField()
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = ShelterStay
        fields = [
            "id", "version", "service", "referral", "case", "case_reference", "person_name", "category",
            "admitted_on", "planned_exit_on", "override_by", "discharged_on", "discharge_destination",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person_name(self, obj: ShelterStay) -> str:
        return display_name_for(user=self.context["user"], person=obj.person)


class AdmitSerializer(serializers.Serializer[Any]):
    referral = serializers.UUIDField()
    category = serializers.ChoiceField(choices=BedCategory.choices)
    admitted_on = serializers.DateField(required=False, allow_null=True)
    planned_exit_on = serializers.DateField(required=False, allow_null=True)
    override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DischargeSerializer(serializers.Serializer[Any]):
    discharged_on = serializers.DateField()
    discharge_destination = serializers.ChoiceField(choices=DischargeDestination.choices)
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, min_value=1)


class HoldSerializer(serializers.ModelSerializer[BedHold]):
    class Meta:
        model = BedHold
        fields = ["id", "version", "service", "referral", "category", "held_until", "status", "released_at"]
        read_only_fields = fields


class HoldWriteSerializer(serializers.Serializer[Any]):
    referral = serializers.UUIDField()
    category = serializers.ChoiceField(choices=BedCategory.choices)
    held_until = serializers.DateTimeField()


class HoldReleaseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


def _rows(shelters: list[Service]) -> list[selectors.VacancyRow]:
    counts = selectors.beds_for_shelters(shelters)
    return [selectors.VacancyRow(service=s, categories=counts.get(s.pk, [])) for s in shelters]


class ShelterView(CareAPIView):
    object_type = Service._meta.label_lower
    read_permissions = READERS
    write_permissions: tuple[str, ...] = CARERS
    serializer_class = ShelterSerializer

    def shelter(self, service_id: uuid.UUID) -> Service:
        return selectors.shelter_get_for(user=self.user(), service_id=service_id)


class VacancyListView(ShelterView):
    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, description="A province's code."),
            OpenApiParameter("category", str, enum=BedCategory.values),
            OpenApiParameter("free_only", bool),
        ],
        responses={200: ShelterSerializer(many=True), **ERRORS},
        summary="Free beds today by active shelter and category",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        category = params.get("category", "")
        if category and category not in BedCategory.values:
            raise ValidationFailed(field_errors={"category": ["Unknown category."]})
        province_id = None
        if code := params.get("province", ""):
            province = Province.objects.filter(code=code[:10]).first()
            if province is None:
                raise ValidationFailed(field_errors={"province": ["Unknown province."]})
            province_id = province.pk
        board = selectors.vacancy_board_for(
            user=self.user(),
            filters=selectors.VacancyFilters(
                province_id=province_id,
                category=category,
                with_free_beds_only=params.get("free_only") in ("1", "true"),
            ),
        )
        return Response(ShelterSerializer(board, many=True).data)


class ShelterListView(ShelterView):
    pagination_class = ShelterOrder

    @extend_schema(
        responses={200: ShelterSerializer(many=True), **ERRORS}, summary="Shelters with their beds today"
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.shelter_list_for(user=self.user()).order_by("name", "id"))
        return self.get_paginated_response(ShelterSerializer(_rows(list(page or [])), many=True).data)


class ShelterDetailSerializer(ShelterSerializer):
    inventories = InventorySerializer(many=True)
    utilisation = UtilisationSerializer(many=True)


class ShelterDetailView(ShelterView):
    @extend_schema(
        responses={200: ShelterDetailSerializer, **ERRORS},
        summary="One shelter: beds, inventories, utilisation",
    )
    def get(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = self.shelter(service_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=shelter.provider.agency, obj=shelter)
        row = _rows([shelter])[0]
        data = dict(ShelterSerializer(row).data)
        data["inventories"] = InventorySerializer(selectors.inventories_of(shelter)[:24], many=True).data
        data["utilisation"] = UtilisationSerializer(
            selectors.utilisation_for(service=shelter), many=True
        ).data
        return Response(data)


class InventoryCreateView(ShelterView):
    write_permissions: tuple[str, ...] = (access.DELIVER, access.MANAGE_DIRECTORY)

    @extend_schema(
        request=InventorySerializer,
        responses={201: InventorySerializer, **ERRORS},
        summary="Record a new bed inventory",
    )
    def post(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = self.shelter(service_id)
        given = InventorySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        inventory = services.bed_inventory_record(
            actor=self.user(),
            service=shelter,
            effective_from=data["effective_from"],
            beds={c: data.get(c, 0) for c in BedCategory.values},
            note=data.get("note", ""),
        )
        return Response(InventorySerializer(inventory).data, status=status.HTTP_201_CREATED)


class StayView(CareAPIView):
    object_type = ShelterStay._meta.label_lower
    read_permissions = (*READERS, "cases.view")
    write_permissions = CARERS
    serializer_class = StaySerializer

    def answer(self, stay: ShelterStay, *, status_code: int = status.HTTP_200_OK) -> Response:
        return with_etag(
            Response(StaySerializer(stay, context={"user": self.user()}).data, status=status_code), stay
        )


class StayListView(StayView):
    pagination_class = NewestAdmittedFirst

    @extend_schema(
        parameters=[OpenApiParameter("current", bool, description="Only residents not yet discharged.")],
        responses={200: StaySerializer(many=True), **ERRORS},
        summary="A shelter's stays you may see, newest first",
    )
    def get(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = selectors.shelter_get_for(user=self.user(), service_id=service_id)
        rows = selectors.stay_list_for(
            user=self.user(),
            service=shelter,
            current_only=request.query_params.get("current") in ("1", "true"),
        )
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=self.object_type,
            details={"shelter": str(shelter.pk)},
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            StaySerializer(page, many=True, context={"user": self.user()}).data
        )


class AdmitView(StayView):
    @extend_schema(
        request=AdmitSerializer,
        responses={201: StaySerializer, **ERRORS},
        summary="Admit from an accepted referral",
    )
    def post(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = selectors.shelter_get_for(user=self.user(), service_id=service_id)
        given = AdmitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        referral = selectors.referral_for_admission(
            user=self.user(), service=shelter, referral_id=data["referral"]
        )
        stay = services.shelter_admit(
            actor=self.user(),
            referral=referral,
            category=data["category"],
            admitted_on=data.get("admitted_on"),
            planned_exit_on=data.get("planned_exit_on"),
            override_reason=data["override_reason"],
        )
        return self.answer(stay, status_code=status.HTTP_201_CREATED)


class StayDetailView(StayView):
    @extend_schema(responses={200: StaySerializer, **ERRORS}, parameters=[ETAG], summary="One stay")
    def get(self, request: Request, stay_id: uuid.UUID) -> Response:
        stay = selectors.stay_get_for(user=self.user(), stay_id=stay_id)
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=stay.case.owner_agency, obj=stay)
        return self.answer(stay)


class DischargeView(StayView):
    @extend_schema(
        request=DischargeSerializer,
        responses={200: StaySerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Discharge a resident",
    )
    def post(self, request: Request, stay_id: uuid.UUID) -> Response:
        stay = selectors.stay_get_for(user=self.user(), stay_id=stay_id)
        version = self.version_of(request, stay)
        given = DischargeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        done = services.shelter_discharge(
            actor=self.user(),
            stay=stay,
            version=version,
            discharged_on=data["discharged_on"],
            destination=data["discharge_destination"],
            reason=data["reason"],
        )
        return self.answer(done)


class HoldView(CareAPIView):
    object_type = BedHold._meta.label_lower
    read_permissions = READERS
    write_permissions = (access.DELIVER, access.MAKE)
    serializer_class = HoldSerializer

    def answer(self, hold: BedHold, *, status_code: int = status.HTTP_200_OK) -> Response:
        return with_etag(Response(HoldSerializer(hold).data, status=status_code), hold)


class HoldListView(HoldView):
    @extend_schema(
        responses={200: HoldSerializer(many=True), **ERRORS}, summary="A shelter's live holds you may see"
    )
    def get(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = selectors.shelter_get_for(user=self.user(), service_id=service_id)
        rows = list(selectors.hold_list_for(user=self.user(), service=shelter)[:500])
        return Response(HoldSerializer(rows, many=True).data)

    @extend_schema(
        request=HoldWriteSerializer,
        responses={201: HoldSerializer, **ERRORS},
        summary="Hold a bed for a referral",
    )
    def post(self, request: Request, service_id: uuid.UUID) -> Response:
        shelter = selectors.shelter_get_for(user=self.user(), service_id=service_id)
        given = HoldWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = self.user()
        referral = one_or_not_found(
            Referral.objects.filter(service=shelter).filter(
                access.visible_cases_q(user, case_path="case")
                | access.staff_q(user, access.DELIVER, provider_path="provider")
            ),
            data["referral"],
        )
        hold = services.bed_hold_place(
            actor=user, referral=referral, category=data["category"], held_until=data["held_until"]
        )
        return self.answer(hold, status_code=status.HTTP_201_CREATED)


class HoldReleaseView(HoldView):
    @extend_schema(
        request=HoldReleaseSerializer,
        responses={200: HoldSerializer, **VERSIONED},
        parameters=[IF_MATCH, ETAG],
        summary="Release a held bed",
    )
    def post(self, request: Request, hold_id: uuid.UUID) -> Response:
        hold = selectors.hold_get_for(user=self.user(), hold_id=hold_id)
        version = self.version_of(request, hold)
        given = HoldReleaseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        released = services.bed_hold_release(
            actor=self.user(), hold=hold, version=version, reason=given.validated_data["reason"]
        )
        return self.answer(released)
