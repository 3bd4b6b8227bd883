"""What the care API views share: who may call them (audited refusals), versions, error shapes.

Reads need one of the view's `read_permissions`, writes one of its `write_permissions` (403 and a
`permission_denied` event otherwise). Records come from the selectors, so one outside the user's
reach answers 404. Writes on versioned records name the version (If-Match or `version`): stale
412, none 428.
"""

from typing import cast

from drf_spectacular.utils import OpenApiResponse
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.core.api.pagination import CheckedCursorPagination
from shield.core.api.versioning import expected_version
from shield.core.errors import VersionRequired
from shield.core.models import VersionedModel
from shield.people.api.serializers import ErrorSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Field errors: a list of messages per field."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record in your reach."),
    409: OpenApiResponse(ErrorSerializer, description="The record's state does not allow this now."),
}
VERSIONED = {
    **ERRORS,
    412: OpenApiResponse(ErrorSerializer, description="Someone else changed the record: nothing was saved."),
    428: OpenApiResponse(ErrorSerializer, description="Name the version: If-Match or `version` in the body."),
}


class CarePermission(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = (
            getattr(view, "read_permissions", ())
            if request.method in SAFE_METHODS
            else getattr(view, "write_permissions", ())
        )
        return any(request.user.has_perm(p) for p in needed)


class NewestDeliveredFirst(CheckedCursorPagination):
    ordering = ("-delivered_on", "-created_at", "-id")


class NewestAdmittedFirst(CheckedCursorPagination):
    ordering = ("-admitted_on", "-created_at", "-id")


class ShelterOrder(CheckedCursorPagination):
    ordering = ("name", "id")


class CareAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, CarePermission]
    renderer_classes = [JSONRenderer]
    metadata_class = None
    pagination_class: type[BasePagination] | None = None
    object_type = ""
    read_permissions: tuple[str, ...] = ()
    write_permissions: tuple[str, ...] = ()

    def user(self) -> User:
        return cast(User, self.request.user)

    def version_of(self, request: Request, current: VersionedModel) -> int:
        version = expected_version(request, current)
        if version is None:
            raise VersionRequired()
        return version
