"""Refusing an API call a role does not allow leaves the same trace a refused page does."""

from typing import NoReturn

from rest_framework.request import Request
from rest_framework.views import APIView

from shield.audit.models import AuditAction
from shield.audit.services import record


class AuditedRefusals(APIView):
    """Mix in before the DRF base view: a signed-in user refused by role writes a
    `permission_denied` event naming `object_type` and `refused_object_id()`."""

    object_type: str = ""

    def refused_object_id(self) -> str:
        """The object the call was about: the first URL argument, unless a view says otherwise."""
        return next((str(value) for value in self.kwargs.values()), "")

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        if request.user and request.user.is_authenticated:
            record(
                action=AuditAction.PERMISSION_DENIED,
                actor=request.user,
                object_type=self.object_type,
                object_id=self.refused_object_id(),
            )
        super().permission_denied(request, message=message, code=code)
