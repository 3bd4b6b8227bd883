"""One error shape for the whole API: `{"detail": "...", "<field>": ["...", ...], ...}`.

Every error answer carries `detail`, a sentence for the user; a 400 about fields adds a list of
messages per field (nested objects for nested fields, as DRF gives them). The OpenAPI schema
documents the same shape (`shield.core.api.schema`).
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shield.core.api.parsers import RequestTooLarge
from shield.core.errors import ApplicationError, ValidationFailed


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field_errors:
            # Same shape as DRF's own validation errors: a list of messages per field.
            body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Django's own refusal (a body read before the parser ran) would be an HTML 400.
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = with_detail(response.data)
    return response


def with_detail(data: Any) -> dict[str, Any]:
    """DRF's error data in the shared shape: field errors keep their keys, `detail` is added."""
    if isinstance(data, dict):
        if "detail" in data and isinstance(data["detail"], str):
            return data
        return {**data, "detail": str(ValidationFailed.default_message)}
    if isinstance(data, list):
        messages = [str(message) for message in data]
        return {"detail": " ".join(messages) or str(ValidationFailed.default_message)}
    return {"detail": str(data)}
