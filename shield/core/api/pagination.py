"""Cursor pagination: stable pages over records that keep arriving, newest first.

Every paginated list uses `CheckedCursorPagination` (directly or through a subclass): a cursor
is only base64 the client can forge, and a position that does not fit the ordering's field (a
date that is not a date) would otherwise fail inside the query with a server error.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class CheckedCursorPagination(CursorPagination):
    """A forged or stale cursor answers 404 "Invalid cursor" (as a malformed one does), never 500."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
            if request.query_params.get(self.cursor_query_param) is None:
                raise
            raise NotFound(self.invalid_cursor_message) from exc


class NewestFirstCursorPagination(CheckedCursorPagination):
    ordering = ("-created_at", "-id")
