"""/api/v1/justice/detention/episodes/: children's detention episodes and their family visits.

Reads need `justice.view`, writes `justice.edit` (403, audited, otherwise); an episode or party out
of reach is 404. A detail read is audited; a change names the version it read (If-Match or
`version`): 412 when stale, 428 when missing.
"""

import uuid
from typing import Any, cast

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import ValidationFailed, VersionRequired
from shield.justice.children import rules
from shield.justice.children.services import RuleRefused
from shield.justice.detention import selectors, services
from shield.justice.detention.api.serializers import (
    EpisodeCreateSerializer,
    EpisodeSerializer,
    EpisodeUpdateSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)
from shield.justice.models import DetentionEpisode, FamilyVisit
from shield.justice.proceedings.access import EDIT, VIEW, assigned_proceeding_ids

EPISODE_TYPE = DetentionEpisode._meta.label_lower


def _rule_refused(exc: RuleRefused) -> Response:
    """A release after the child's limit without a justification: 400 naming the rule."""
    return Response(
        {"detail": exc.message, "rules_exceeded": list(exc.breaches)}, status=status.HTTP_400_BAD_REQUEST
    )


class JusticePermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = VIEW if request.method in SAFE_METHODS else EDIT
        return bool(request.user and request.user.has_perm(needed))


class EpisodePagination(CheckedCursorPagination):
    ordering = ("-started_on", "-created_at")
    page_size = 50
    max_page_size = 200


class VisitPagination(CheckedCursorPagination):
    ordering = ("-visited_on", "-created_at")
    page_size = 50
    max_page_size = 200


class DetentionAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, JusticePermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    object_type = EPISODE_TYPE
    serializer_class: type[EpisodeSerializer] | type[VisitSerializer] = EpisodeSerializer

    def refused_object_id(self) -> str:
        return str(self.kwargs.get("episode_id") or "")

    def user(self) -> User:
        return cast(User, self.request.user)

    def context(self, episodes: list[DetentionEpisode]) -> dict[str, Any]:
        counts = dict(
            FamilyVisit.objects.filter(episode__in=episodes)
            .values("episode")
            .annotate(n=Count("pk"))
            .values_list("episode", "n")
        )
        return {
            "assigned": assigned_proceeding_ids(self.user()),
            "visit_counts": counts,
            "child_rules": rules.ChildRules.current(),
        }

    def episode(self, permission: str = VIEW) -> DetentionEpisode:
        episode_id: uuid.UUID = self.kwargs["episode_id"]
        return selectors.episode_get_for(user=self.user(), episode_id=episode_id, permission=permission)

    def one(self, episode: DetentionEpisode, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = EpisodeSerializer(episode, context=self.context([episode])).data
        return with_etag(Response(data, status=status_code), episode)


class EpisodeListView(DetentionAPIView):
    pagination_class = EpisodePagination

    @extend_schema(
        operation_id="justice_detention_list",
        summary="Detention episodes of children in reach",
        description="Newest first; `kind` and `state` (open, ended) filter. Children's names masked "
        "unless you are assigned to the proceeding.",
        responses={200: EpisodeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        filters = selectors.EpisodeFilters(
            kind=request.query_params.get("kind", "")[:40], state=request.query_params.get("state", "")[:10]
        )
        page = self.paginate_queryset(selectors.episode_list_for(user=self.user(), filters=filters))
        assert page is not None
        return self.get_paginated_response(
            EpisodeSerializer(page, many=True, context=self.context(page)).data
        )

    @extend_schema(
        operation_id="justice_detention_create",
        summary="Record a child party's detention episode",
        request=EpisodeCreateSerializer,
        responses={201: EpisodeSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = EpisodeCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        party = selectors.party_get_for(user=self.user(), party_id=data.pop("party"), permission=EDIT)
        try:
            episode = services.episode_record(actor=self.user(), party=party, **data)
        except RuleRefused as exc:
            return _rule_refused(exc)
        return self.one(episode, status_code=status.HTTP_201_CREATED)


class EpisodeDetailView(DetentionAPIView):
    @extend_schema(
        operation_id="justice_detention_read",
        summary="One detention episode (audited)",
        responses={200: EpisodeSerializer},
    )
    def get(self, request: Request, episode_id: uuid.UUID) -> Response:
        episode = self.episode()
        audit.record(action=AuditAction.VIEW, actor=self.user(), obj=episode)
        return self.one(episode)

    @extend_schema(
        operation_id="justice_detention_update",
        summary="Change a detention episode (release, death, aftercare, corrections)",
        description="Send If-Match with the ETag read (or `version`): 412 when stale, 428 when missing.",
        request=EpisodeUpdateSerializer,
        responses={200: EpisodeSerializer},
    )
    def patch(self, request: Request, episode_id: uuid.UUID) -> Response:
        episode = self.episode(EDIT)
        version = expected_version(request, episode)
        if version is None:
            raise VersionRequired()
        payload = EpisodeUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        changes.pop("version", None)
        if "aftercare_detail" in changes and changes["aftercare_detail"] is None:
            raise ValidationFailed(field_errors={"aftercare_detail": ["This field may not be null."]})
        try:
            episode = services.episode_update(
                actor=self.user(), episode=episode, expected_version=version, **changes
            )
        except RuleRefused as exc:
            return _rule_refused(exc)
        return self.one(episode)


class EpisodeVisitsView(DetentionAPIView):
    pagination_class = VisitPagination
    serializer_class = VisitSerializer

    @extend_schema(
        operation_id="justice_detention_visits_list",
        summary="Family visits of an episode (audited as a read of the episode)",
        responses={200: VisitSerializer(many=True)},
    )
    def get(self, request: Request, episode_id: uuid.UUID) -> Response:
        episode = self.episode()
        audit.record(action=AuditAction.VIEW, actor=self.user(), obj=episode, details={"part": "visits"})
        page = self.paginate_queryset(selectors.visits_of(episode=episode))
        assert page is not None
        return self.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(
        operation_id="justice_detention_visits_create",
        summary="Record a family visit",
        request=VisitCreateSerializer,
        responses={201: VisitSerializer},
    )
    def post(self, request: Request, episode_id: uuid.UUID) -> Response:
        episode = self.episode(EDIT)
        payload = VisitCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        visit = services.family_visit_record(
            actor=self.user(), episode=episode, visited_on=payload.validated_data["visited_on"]
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
