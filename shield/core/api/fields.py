"""Serializer fields the apps share."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class CodeField(serializers.SlugRelatedField):
    """A record named by its code (a province's "01"), at most `max_length` characters: a longer
    value is refused before any query runs, and the schema says how long a code may be."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)
        self.error_messages["too_long"] = serializers.CharField.default_error_messages["max_length"]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and len(data) > self.max_length:
            self.fail("too_long", max_length=self.max_length)
        return super().to_internal_value(data)


def code_field(*, max_length: int, **kwargs: Any) -> CodeField:
    """A CodeField documented in the schema as a string of at most `max_length` characters."""

    kind: Any = ["string", "null"] if kwargs.get("allow_null") else "string"

    @extend_schema_field({"type": kind, "maxLength": max_length})
    class _Documented(CodeField):
        pass

    return _Documented(max_length=max_length, **kwargs)
