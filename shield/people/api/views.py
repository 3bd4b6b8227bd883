"""The person API: the same selectors and services as the pages, so both behave the same.

Reads need `people.view` and see only the persons in the user's reach (another agency's person
answers 404); writes need `people.register`. Every read of one person (its details, documents,
other names or relationships) writes a `view` audit event. Edits name the version they are based
on (If-Match or `version`): a stale one answers 412, none 428, and nothing is written.
"""

import uuid
from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts import policy
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.core.access import AccessSubject
from shield.core.api.sealed_cursors import SealedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import NotFound, ValidationFailed, VersionRequired
from shield.geo import selectors as geo
from shield.people import selectors, services
from shield.people.api.serializers import (
    AliasSerializer,
    DocumentFixSerializer,
    DocumentSerializer,
    ErrorSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    RelationshipSerializer,
    name_hidden,
)
from shield.people.models import Person

PERSON_TYPE = Person._meta.label_lower
VIEW_PERMISSION = selectors.VIEW_PERMISSION
REGISTER_PERMISSION = "people.register"

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag of the version the change is based on, such as "3". Without it, send `version` in '
        "the body; with neither the change is refused (428)."
    ),
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The version, such as "3".',
)
LOCATION_HEADER = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new person's URL."
)
ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ErrorSerializer, description="Field errors: a list of messages per field."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such person in your reach."),
}
VERSION_ERRORS: dict[int, OpenApiResponse] = {
    412: OpenApiResponse(ErrorSerializer, description="Someone else changed the person: nothing was saved."),
    428: OpenApiResponse(ErrorSerializer, description="Name the version: If-Match or `version` in the body."),
}


class PersonNameCursorPagination(SealedCursorPagination):
    """Stable pages in the order the search gives: by name (the selector's sort annotations, so a
    name search keeps reading its key's index in order). Sealed: the position is a name."""

    ordering = selectors.SORT_ORDER
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class PeoplePermission(BasePermission):
    """Reads need people.view, writes people.register."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = VIEW_PERMISSION if request.method in SAFE_METHODS else REGISTER_PERMISSION
        return bool(request.user and request.user.has_perm(needed))


class _PeopleAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, PeoplePermission]
    # JSON only: the browsable API would render persons through forms outside the selectors,
    # the masking and the audit.
    renderer_classes = [JSONRenderer]

    object_type = PERSON_TYPE

    def refused_object_id(self) -> str:
        return str(self.kwargs.get("person_id") or "")

    def user(self) -> User:
        return cast(User, self.request.user)

    def viewer(self) -> AccessSubject:
        # The same user as the AccessSubject the selectors take (Django's has_perm is typed apart).
        return cast(AccessSubject, self.request.user)

    def person(self, person_id: uuid.UUID) -> Person:
        """The person, if in reach (NotFound answers 404), with the read audited."""
        return selectors.person_get_for(user=self.viewer(), person_id=person_id)

    def writable_person(self, person_id: uuid.UUID) -> Person:
        person = self.person(person_id)
        if name_hidden(self.user(), person):
            # Editing a person whose name this role may not see would show it.
            raise PermissionDenied(_("Your role may not change a person whose name it may not see."))
        return person

    def audit_read(self, person: Person) -> None:
        audit.record(action=AuditAction.VIEW, actor=self.user(), obj=person)

    def person_response(self, person: Person, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = PersonSerializer(person, context={"user": self.user()}).data
        return with_etag(Response(data, status=status_code), person)


class PersonListCreateView(_PeopleAPIView):
    pagination_class = PersonNameCursorPagination
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="persons_list",
        summary="Find people",
        description=(
            "Persons in your reach, by name. `q` is searched as the pages search: Vietnamese names in "
            "any order, with or without diacritics (`nguyen thi hoa`, `NGUYEN HOA`), a year in it "
            "(`hoa 1995`) filters by year of birth, and a document number finds its holder. Audited as a "
            "list of persons; the words searched are kept only as keyed hashes. The `next` and "
            "`previous` links carry sealed cursors (no name in them) and repeat your other parameters as "
            "you sent them."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name, name and year, or document number."),
            OpenApiParameter("province", OpenApiTypes.STR, description="Home province code, such as 01."),
            OpenApiParameter("birth_year", OpenApiTypes.INT, description="Year of birth."),
        ],
        responses={200: PersonSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        user = self.user()
        params = request.query_params
        errors: dict[str, list[str]] = {}
        province = None
        if code := params.get("province", "").strip():
            province = geo.province_list().filter(code=code).first()
            if province is None:
                errors["province"] = [_("No province has this code.")]
        birth_year = None
        if raw_year := params.get("birth_year", "").strip():
            try:
                birth_year = int(raw_year)
            except ValueError:
                errors["birth_year"] = [_("A year such as 1995.")]
        if errors:
            raise ValidationFailed(field_errors=errors)
        q = params.get("q", "")[:200]
        persons = selectors.person_list_for(user=self.viewer(), q=q, province=province, birth_year=birth_year)
        page = self.paginate_queryset(persons)
        assert page is not None
        response = self.get_paginated_response(PersonSerializer(page, many=True, context={"user": user}).data)
        audit.record(
            action=AuditAction.LIST,
            actor=user,
            object_type=PERSON_TYPE,
            search=q,
            details={"filters": sorted(name for name in ("q", "province", "birth_year") if params.get(name))},
        )
        return response

    @extend_schema(
        operation_id="persons_create",
        summary="Register a person",
        request=PersonWriteSerializer,
        responses={
            201: OpenApiResponse(PersonSerializer, description="Registered."),
            400: ERRORS[400],
            403: ERRORS[403],
        },
        parameters=[ETAG_HEADER, LOCATION_HEADER],
    )
    def post(self, request: Request) -> Response:
        user = self.user()
        payload = PersonWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        owner = policy.memberships_with(user, REGISTER_PERMISSION)[0].agency
        person = services.person_register(actor=user, owner_agency=owner, **payload.values(replace=True))
        response = self.person_response(person, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api-person-detail", args=[person.pk]))
        return response


class PersonDetailView(_PeopleAPIView):
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="persons_retrieve",
        summary="Read a person",
        description="Audited as a view of the person.",
        responses={200: PersonSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        parameters=[ETAG_HEADER],
    )
    def get(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.person(person_id)
        response = self.person_response(person)
        self.audit_read(person)
        return response

    def _change(self, request: Request, person_id: uuid.UUID, *, replace: bool) -> Response:
        person = self.writable_person(person_id)
        version = expected_version(request, person)  # a stale If-Match answers 412 here already
        if version is None:
            raise VersionRequired()
        payload = PersonWriteSerializer(data=request.data, partial=not replace)
        payload.is_valid(raise_exception=True)
        person = services.person_update(
            actor=self.user(), person=person, expected_version=version, **payload.values(replace=replace)
        )
        return self.person_response(person)

    @extend_schema(
        operation_id="persons_update",
        summary="Replace a person's details",
        description="Fields left out take their empty value. Name the version: If-Match or `version`.",
        request=PersonWriteSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PersonSerializer, **ERRORS, **VERSION_ERRORS},
    )
    def put(self, request: Request, person_id: uuid.UUID) -> Response:
        return self._change(request, person_id, replace=True)

    @extend_schema(
        operation_id="persons_partial_update",
        summary="Change some of a person's details",
        description="Only the fields sent change. Name the version: If-Match or `version`.",
        request=PersonWriteSerializer(partial=True),
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={200: PersonSerializer, **ERRORS, **VERSION_ERRORS},
    )
    def patch(self, request: Request, person_id: uuid.UUID) -> Response:
        return self._change(request, person_id, replace=False)


class PersonDocumentsView(_PeopleAPIView):
    serializer_class = DocumentSerializer
    pagination_class = None  # a person has a handful

    @extend_schema(
        operation_id="persons_documents_list",
        summary="A person's identity documents",
        description="With the warnings their numbers raise. Audited as a view of the person.",
        responses={200: DocumentSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.person(person_id)
        data = DocumentSerializer(selectors.document_list(person=person), many=True).data
        self.audit_read(person)
        return Response(data)

    @extend_schema(
        operation_id="persons_documents_create",
        summary="Add an identity document",
        description="A number that contradicts the person is saved with warnings, never refused.",
        request=DocumentSerializer,
        responses={201: DocumentSerializer, **ERRORS},
    )
    def post(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.writable_person(person_id)
        payload = DocumentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        document = services.document_add(actor=self.user(), person=person, **payload.validated_data)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class PersonDocumentFixView(_PeopleAPIView):
    serializer_class = DocumentFixSerializer

    @extend_schema(
        operation_id="persons_documents_fix",
        summary="Correct a document, or mark it entered in error",
        description=(
            "`correct`: a new entry with the details given replaces the document, which is kept as "
            "`superseded` (answers the new entry, 201). `entered_in_error`: the document is kept, "
            "no longer counted for matching or linkage (answers it, 200). Nothing is deleted. "
            "Name the document's version (If-Match or `version`)."
        ),
        request=DocumentFixSerializer,
        responses={200: DocumentSerializer, 201: DocumentSerializer, **ERRORS, **VERSION_ERRORS},
    )
    def post(self, request: Request, person_id: uuid.UUID, document_id: uuid.UUID) -> Response:
        person = self.writable_person(person_id)
        document = selectors.document_get(person=person, document_id=document_id)
        version = expected_version(request, document)
        if version is None:
            raise VersionRequired()
        payload = DocumentFixSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        action, reason = data.pop("action"), data.pop("reason")
        data.pop("version", None)
        if action == "correct":
            new = services.document_correct(
                actor=self.user(), document=document, expected_version=version, reason=reason, **data
            )
            return Response(DocumentSerializer(new).data, status=status.HTTP_201_CREATED)
        marked = services.document_mark_entered_in_error(
            actor=self.user(), document=document, expected_version=version, reason=reason
        )
        return Response(DocumentSerializer(marked).data)


class PersonAliasesView(_PeopleAPIView):
    serializer_class = AliasSerializer
    pagination_class = None

    @extend_schema(
        operation_id="persons_aliases_list",
        summary="Other names of a person",
        description="Audited as a view of the person.",
        responses={200: AliasSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.person(person_id)
        context = {"name_hidden": name_hidden(self.user(), person)}
        data = AliasSerializer(selectors.alias_list(person=person), many=True, context=context).data
        self.audit_read(person)
        return Response(data)

    @extend_schema(
        operation_id="persons_aliases_create",
        summary="Add another name",
        request=AliasSerializer,
        responses={201: AliasSerializer, **ERRORS},
    )
    def post(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.writable_person(person_id)
        payload = AliasSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        alias = services.alias_add(actor=self.user(), person=person, **payload.validated_data)
        return Response(AliasSerializer(alias).data, status=status.HTTP_201_CREATED)


class PersonRelationshipsView(_PeopleAPIView):
    serializer_class = RelationshipSerializer
    pagination_class = None

    @extend_schema(
        operation_id="persons_relationships_list",
        summary="A person's relationships",
        description="Related persons outside your reach are not revealed. Audited as a view of the person.",
        responses={200: RelationshipSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, person_id: uuid.UUID) -> Response:
        person = self.person(person_id)
        entries = selectors.relationship_list_for(user=self.viewer(), person=person)
        data = RelationshipSerializer(entries, many=True).data
        self.audit_read(person)
        return Response(data)

    @extend_schema(
        operation_id="persons_relationships_create",
        summary="Add a relationship",
        description="To a registered person in your reach (`related_person`) or to someone named.",
        request=RelationshipSerializer,
        responses={201: RelationshipSerializer, **ERRORS},
    )
    def post(self, request: Request, person_id: uuid.UUID) -> Response:
        user = self.user()
        person = self.writable_person(person_id)
        payload = RelationshipSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(payload.validated_data)
        related = None
        if related_id := data.pop("related_person", None):
            try:
                related = selectors.person_get_for(user=self.viewer(), person_id=related_id)
            except NotFound as exc:
                raise ValidationFailed(
                    field_errors={"related_person": [_("No person with this id is in your reach.")]}
                ) from exc
        relationship = services.relationship_add(actor=user, person=person, related_person=related, **data)
        entry = selectors.RelatedEntry(
            relationship=relationship,
            related_person=related,
            name=selectors.display_name_for(user=self.viewer(), person=related)
            if related
            else relationship.related_name,
        )
        return Response(RelationshipSerializer(entry).data, status=status.HTTP_201_CREATED)
