"""Turn ApplicationError into the API's error shape: `{"detail": ..., "errors": {field: [...]}}`."""

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shield.core.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field_errors:
            # Same shape as DRF's own validation errors: a list of messages per field.
            body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
