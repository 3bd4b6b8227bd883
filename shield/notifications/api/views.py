"""Your notifications through the API: list (newest first, cursor pages, filters), mark one read,
mark all read, the unread count. Only your own: another user's notification answers 404."""

import uuid
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from shield.accounts.models import User
from shield.core.api.pagination import NewestFirstCursorPagination
from shield.notifications import selectors, services
from shield.notifications.models import Kind, Notification
from shield.notifications.texts import agencies_named, render


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    text = serializers.SerializerMethodField(
        help_text="The notification's sentence in the request's language."
    )
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "params", "url", "created_at", "read", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return render(notification.kind, notification.params, self.context.get("agencies") or {})


class NotificationPagination(NewestFirstCursorPagination):
    page_size = selectors.PAGE_SIZE
    max_page_size = selectors.MAX_PAGE_SIZE


class _NotificationAPIView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    serializer_class = NotificationSerializer

    def user(self) -> User:
        return cast(User, self.request.user)


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True, default="")


class NotificationListView(_NotificationAPIView, ListAPIView):
    """Your notifications, newest first; `unread=true` keeps the unread ones, `kind` one kind."""

    pagination_class = NotificationPagination

    def get_queryset(self) -> QuerySet[Notification]:
        given = NotificationFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        filters = selectors.NotificationFilters(
            unread=given.validated_data["unread"], kind=given.validated_data["kind"]
        )
        return selectors.notifications_for(self.user(), filters)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], list):
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["agencies"] = agencies_named(n.params for n in args[0])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values, description="One kind only."),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadView(_NotificationAPIView):
    """Mark one of your notifications read (again is harmless)."""

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request: Request, notification_id: uuid.UUID) -> Response:
        found = services.notification_mark_read(actor=self.user(), notification_id=notification_id)
        context = {**self.get_serializer_context(), "agencies": agencies_named([found.params])}
        return Response(NotificationSerializer(found, context=context).data)


ReadCount = inline_serializer("NotificationsMarkedRead", fields={"marked_read": serializers.IntegerField()})
UnreadCount = inline_serializer("NotificationsUnread", fields={"unread": serializers.IntegerField()})


class NotificationReadAllView(_NotificationAPIView):
    """Mark all your unread notifications read (of one `kind`, if given in the body)."""

    @extend_schema(
        request=inline_serializer(
            "NotificationsMarkAllRead",
            fields={"kind": serializers.ChoiceField(choices=Kind.choices, required=False)},
        ),
        responses={200: ReadCount},
    )
    def post(self, request: Request) -> Response:
        kind = request.data.get("kind", "") if isinstance(request.data, dict) else ""
        if not isinstance(kind, str):
            raise serializers.ValidationError({"kind": [_("Choose a kind of notification.")]})
        count = services.notifications_mark_all_read(actor=self.user(), kind=kind)
        return Response({"marked_read": count})


class NotificationUnreadView(_NotificationAPIView):
    """How many unread notifications you have (counted up to 100: "more than 99" beyond)."""

    @extend_schema(responses={200: UnreadCount})
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count_for(self.user())})
