"""/api/v1/justice/proceedings/: the proceedings in reach, one proceeding, and under it its steps,
holdings (hand-over), assignments and parties. Reads need `justice.view`, writes `justice.edit`
(403 otherwise, audited); a proceeding out of reach answers 404 whatever the role. Every detail
read is audited as a view of the proceeding; writes name the version (If-Match or `version`):
412 when stale, 428 when missing. Children's names are masked except for assigned officers."""

import uuid
from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases import selectors as case_selectors
from shield.cases.api import schema
from shield.cases.models import Case
from shield.core.access import AccessSubject
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import NotFound, ValidationFailed, VersionRequired
from shield.core.models import VersionedModel
from shield.justice.models import Proceeding
from shield.justice.proceedings import access, selectors, services
from shield.justice.proceedings.api import serializers as s
from shield.people import selectors as people_selectors

PROCEEDING_TYPE = Proceeding._meta.label_lower
# A protection case is linked to few proceedings; the list answers at most this many.
LINKED_LIMIT = 50


class JusticePermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = access.VIEW if request.method in SAFE_METHODS else access.EDIT
        return bool(request.user and request.user.has_perm(needed))


class ProceedingCursorPagination(CheckedCursorPagination):
    ordering = ("-reported_at", "-id")


class ProceedingAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, JusticePermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    serializer_class: type[BaseSerializer]
    pagination_class: type[BasePagination] | None = None
    object_type = PROCEEDING_TYPE

    def refused_object_id(self) -> str:
        return str(self.kwargs.get("proceeding_id") or "")

    def user(self) -> User:
        return cast(User, self.request.user)

    def proceeding(self) -> Proceeding:
        return selectors.proceeding_get_for(user=self.user(), proceeding_id=self.kwargs["proceeding_id"])

    def read_proceeding(self) -> Proceeding:
        proceeding = self.proceeding()
        audit.record(
            action=AuditAction.VIEW, actor=self.user(), agency=proceeding.holding_agency, obj=proceeding
        )
        return proceeding

    def version_of(self, request: Request, current: VersionedModel) -> int:
        version = expected_version(request, current)
        if version is None:
            raise VersionRequired()
        return version

    def detail(self, proceeding: Proceeding, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = s.ProceedingDetailSerializer(proceeding).data
        return with_etag(Response(data, status=status_code), proceeding)


def _agency(agency_id: uuid.UUID, field: str) -> Agency:
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise ValidationFailed(field_errors={field: [_("No such agency.")]})
    return agency


def _case(user: User, reference: str) -> Case | None:
    reference = (reference or "").strip()
    if not reference:
        return None
    case = (
        case_selectors.case_list_for(user=user, filters=case_selectors.CaseFilters(search=reference))
        .filter(reference__iexact=reference)
        .first()
    )
    if case is None:
        raise ValidationFailed(
            field_errors={"protection_case": [_("No case with this reference in your reach.")]}
        )
    return case


class ProceedingListView(ProceedingAPIView):
    serializer_class = s.ProceedingSerializer
    pagination_class = ProceedingCursorPagination

    @extend_schema(
        operation_id="justice_proceedings_list",
        summary="Find proceedings",
        description="The proceedings in your reach, newest report first, one page at a time (follow `next`).",
        parameters=[s.ProceedingListQuerySerializer],
        responses={200: s.ProceedingSerializer(many=True), 400: schema.BAD_REQUEST, 403: schema.FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        query = s.ProceedingListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        filters = selectors.ProceedingFilters(
            status=given.get("status", ""),
            holding_agency_id=given.get("holding_agency"),
            offence=given.get("offence", ""),
            trafficking_only=given["trafficking"],
            has_child_parties=given["children"],
            q=given.get("q", ""),
        )
        items = selectors.proceeding_list_for(user=self.user(), filters=filters)
        page = self.paginate_queryset(items)
        assert page is not None
        selectors.mark_child_parties(page)
        response = self.get_paginated_response(s.ProceedingSerializer(page, many=True).data)
        audit.record(
            action=AuditAction.LIST,
            actor=self.user(),
            object_type=PROCEEDING_TYPE,
            search=filters.q,
            details={
                "filters": sorted(
                    n for n in s.ProceedingListQuerySerializer().fields if n in request.query_params
                )
            },
        )
        return response

    @extend_schema(
        operation_id="justice_proceedings_create",
        summary="Open a proceeding",
        request=s.ProceedingOpenSerializer,
        parameters=[schema.ETAG],
        responses={
            201: OpenApiResponse(s.ProceedingDetailSerializer, description="Opened."),
            **schema.WRITE_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        payload = s.ProceedingOpenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        proceeding = services.proceeding_open(
            actor=self.user(),
            kind=d["kind"],
            offence_codes=d["offences"],
            holding_agency=_agency(d["holding_agency"], "holding_agency"),
            holding_role=d["holding_role"],
            reported_at=d["reported_at"],
            summary=d["summary"],
        )
        response = self.detail(proceeding, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api-justice-proceeding", args=[proceeding.pk])
        )
        return response


class ProceedingDetailView(ProceedingAPIView):
    serializer_class = s.ProceedingDetailSerializer

    @extend_schema(
        operation_id="justice_proceedings_retrieve",
        summary="Read a proceeding",
        description="Audited as a view. The ETag is the proceeding's version.",
        parameters=[schema.ETAG],
        responses={200: s.ProceedingDetailSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        return self.detail(self.read_proceeding())


class StepsView(ProceedingAPIView):
    serializer_class = s.StepSerializer

    @extend_schema(
        operation_id="justice_proceeding_steps_list",
        summary="A proceeding's steps, oldest first",
        responses={200: s.StepSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.read_proceeding()
        return with_etag(
            Response(s.StepSerializer(selectors.steps_of(proceeding), many=True).data), proceeding
        )

    @extend_schema(
        operation_id="justice_proceeding_steps_create",
        summary="Record a step or schedule a hearing",
        description=(
            "Give `occurred_on` (it happened) or `scheduled_for` (a hearing). Name the proceeding's version."
        ),
        request=s.StepInputSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={201: s.StepSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.proceeding()
        version = self.version_of(request, proceeding)
        payload = s.StepInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        step = services.step_record(
            actor=self.user(),
            proceeding=proceeding,
            expected_version=version,
            kind=d["kind"],
            occurred_on=d["occurred_on"],
            scheduled_for=d["scheduled_for"],
            note=d["note"],
        )
        proceeding.refresh_from_db()
        return with_etag(Response(s.StepSerializer(step).data, status=status.HTTP_201_CREATED), proceeding)


class HoldingsView(ProceedingAPIView):
    serializer_class = s.HoldingSerializer

    @extend_schema(
        operation_id="justice_proceeding_holdings_list",
        summary="The agencies that held the proceeding, in turn",
        responses={200: s.HoldingSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.read_proceeding()
        return with_etag(
            Response(s.HoldingSerializer(selectors.holdings_of(proceeding), many=True).data), proceeding
        )

    @extend_schema(
        operation_id="justice_proceeding_hand_over",
        summary="Hand the proceeding over to the next agency",
        request=s.HandOverSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={201: s.HoldingSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.proceeding()
        version = self.version_of(request, proceeding)
        payload = s.HandOverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        holding = services.proceeding_hand_over(
            actor=self.user(),
            proceeding=proceeding,
            expected_version=version,
            to_agency=_agency(d["to_agency"], "to_agency"),
            to_role=d["to_role"],
        )
        proceeding.refresh_from_db()
        return with_etag(
            Response(s.HoldingSerializer(holding).data, status=status.HTTP_201_CREATED), proceeding
        )


class AssignmentsView(ProceedingAPIView):
    serializer_class = s.AssignmentSerializer

    @extend_schema(
        operation_id="justice_proceeding_assignments_list",
        summary="The officers assigned (open assignments)",
        responses={200: s.AssignmentSerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.read_proceeding()
        return Response(s.AssignmentSerializer(selectors.assignments_of(proceeding), many=True).data)

    @extend_schema(
        operation_id="justice_proceeding_assignments_create",
        summary="Assign a justice officer",
        request=s.AssignSerializer,
        responses={201: s.AssignmentSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.proceeding()
        payload = s.AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        officer = User.objects.filter(username=payload.validated_data["officer"]).first()
        if officer is None:
            raise ValidationFailed(
                field_errors={"officer": [_("Only an active justice officer can be assigned.")]}
            )
        assignment = services.officer_assign(actor=self.user(), proceeding=proceeding, officer=officer)
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentEndView(ProceedingAPIView):
    serializer_class = s.AssignmentSerializer

    @extend_schema(
        operation_id="justice_proceeding_assignment_end",
        summary="End an assignment (kept with its end date)",
        request=None,
        responses={200: s.AssignmentSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, proceeding_id: uuid.UUID, assignment_id: uuid.UUID) -> Response:
        proceeding = self.proceeding()
        assignment = selectors.assignment_get_for(user=self.user(), assignment_id=assignment_id)
        if assignment.proceeding_id != proceeding.pk:
            raise NotFound()
        assignment = services.officer_unassign(actor=self.user(), assignment=assignment)
        return Response(s.AssignmentSerializer(assignment).data)


class PartiesView(ProceedingAPIView):
    serializer_class = s.PartySerializer

    @extend_schema(
        operation_id="justice_proceeding_parties_list",
        summary="The parties (children's names masked unless you are assigned)",
        responses={200: s.PartySerializer(many=True), **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = self.read_proceeding()
        parties = selectors.parties_of(user=self.user(), proceeding=proceeding)
        return Response(s.PartySerializer(parties, many=True).data)

    @extend_schema(
        operation_id="justice_proceeding_parties_create",
        summary="Add a registry person as a party",
        description="`is_child` is decided at `event_on` from the birth date (unknown age: a child).",
        request=s.PartyInputSerializer,
        responses={201: s.PartySerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        user = self.user()
        proceeding = self.proceeding()
        payload = s.PartyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        try:
            person = people_selectors.person_get_for(user=cast(AccessSubject, user), person_id=d["person"])
        except NotFound:
            raise ValidationFailed(field_errors={"person": [_("Person not found.")]}) from None
        party = services.party_add(
            actor=user,
            proceeding=proceeding,
            person=person,
            role=d["role"],
            event_on=d["event_on"],
            family_matter=d["family_matter"],
            protection_case=_case(user, d["protection_case"]),
        )
        party = selectors.party_get_for(user=user, party_id=party.pk)
        return with_etag(Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED), party)


class PartyDetailView(ProceedingAPIView):
    serializer_class = s.PartySerializer

    def party(self) -> Any:
        proceeding = self.proceeding()
        party = selectors.party_get_for(user=self.user(), party_id=self.kwargs["party_id"])
        if party.proceeding_id != proceeding.pk:
            raise NotFound()
        return party

    @extend_schema(
        operation_id="justice_proceeding_party_retrieve",
        summary="Read a party",
        parameters=[schema.ETAG],
        responses={200: s.PartySerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID, party_id: uuid.UUID) -> Response:
        party = self.party()
        audit.record(
            action=AuditAction.VIEW, actor=self.user(), obj=party, details={"proceeding": str(proceeding_id)}
        )
        return with_etag(Response(s.PartySerializer(party).data), party)

    @extend_schema(
        operation_id="justice_proceeding_party_update",
        summary="Record a party's outcome, or link their protection case",
        description=(
            "Send `outcome` and `outcome_on` (with the sentence), or `protection_case` (a reference; "
            "empty unlinks). Name the party's version."
        ),
        request=s.PartyUpdateSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: s.PartySerializer, **schema.VERSIONED_ERRORS},
    )
    def patch(self, request: Request, proceeding_id: uuid.UUID, party_id: uuid.UUID) -> Response:
        user = self.user()
        party = self.party()
        version = self.version_of(request, party)
        payload = s.PartyUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        d = payload.validated_data
        if "outcome" in d:
            if "outcome_on" not in d:
                raise ValidationFailed(field_errors={"outcome_on": [_("This field is required.")]})
            party = services.party_outcome_set(
                actor=user,
                party=party,
                expected_version=version,
                outcome=d["outcome"],
                outcome_on=d["outcome_on"],
                sentence_custodial=d.get("sentence_custodial"),
                sentence_months=d.get("sentence_months"),
            )
            version = party.version
        if "protection_case" in d:
            party = services.party_link_case(
                actor=user, party=party, expected_version=version, case=_case(user, d["protection_case"])
            )
        party = selectors.party_get_for(user=user, party_id=party.pk)
        return with_etag(Response(s.PartySerializer(party).data), party)


class LinkedReadView(ProceedingAPIView):
    """Reads open to the workers of a linked protection case (no `justice.view` needed): the same
    rule as the proceeding page (`selectors.proceeding_restricted_get_for`); 404 otherwise."""

    permission_classes = [IsAuthenticated]


class TimelineView(LinkedReadView):
    serializer_class = s.TimelineSerializer

    @extend_schema(
        operation_id="justice_proceeding_timeline",
        summary="A proceeding's steps and hearing dates",
        description=(
            "For the justice officers who see the proceeding and for the workers of a protection "
            "case linked to one of its victims: its steps and hearing dates only (no parties, "
            "summary, offences, notes or evidence). Audited as a view (`restricted` or `full`)."
        ),
        responses={200: s.TimelineSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, proceeding_id: uuid.UUID) -> Response:
        proceeding = selectors.timeline_get_for(user=self.user(), proceeding_id=proceeding_id)
        audit.record(
            action=AuditAction.VIEW,
            actor=self.user(),
            agency=proceeding.holding_agency,
            obj=proceeding,
            details={"view": proceeding.view, "part": "timeline"},  # type: ignore[attr-defined]
        )
        return Response(s.TimelineSerializer(proceeding).data)


class CaseProceedingsView(LinkedReadView):
    serializer_class = s.TimelineSerializer

    def refused_object_id(self) -> str:
        return str(self.kwargs.get("case_id") or "")

    @extend_schema(
        operation_id="justice_case_proceedings",
        summary="The proceedings a protection case is linked to, with their steps and hearings",
        description=(
            "The case's panel as data, for whoever sees the case: each proceeding linked to it through "
            "a victim party, with its steps and hearing dates only. 404 when the case is not visible. "
            "Each proceeding is audited as a restricted view through the case."
        ),
        responses={200: s.CaseTimelinesSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        user = self.user()
        case = case_selectors.case_get_for(user=user, case_id=case_id)
        proceedings = selectors.proceedings_for_case(user=user, case=case)[: LINKED_LIMIT + 1]
        full = set(
            Proceeding.objects.filter(access.visible_q(user), pk__in=[p.pk for p in proceedings]).values_list(
                "pk", flat=True
            )
        )
        for proceeding in proceedings:
            proceeding.view = "full" if proceeding.pk in full else "restricted"  # type: ignore[attr-defined]
            audit.record(
                action=AuditAction.VIEW,
                actor=user,
                agency=proceeding.holding_agency,
                obj=proceeding,
                details={"view": proceeding.view, "through_case": str(case.pk)},  # type: ignore[attr-defined]
            )
        return Response(
            {
                "results": s.TimelineSerializer(proceedings[:LINKED_LIMIT], many=True).data,
                "truncated": len(proceedings) > LINKED_LIMIT,
            }
        )
