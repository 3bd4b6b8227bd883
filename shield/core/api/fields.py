"""Serializer fields the apps share."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
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


class EventDateTimeField(serializers.DateTimeField):
    """When something happened or is planned, from 1950 to 2199. Outside those years a value is
    refused: before 1911 the server's time zone has offsets with seconds (+07:06:30) that ISO 8601
    answers cannot carry, and no record in this system is that old or that far off."""

    EARLIEST = datetime.datetime(1950, 1, 1, tzinfo=datetime.UTC)
    LATEST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)

    def to_internal_value(self, value: Any) -> datetime.datetime:
        parsed: datetime.datetime = super().to_internal_value(value)
        if not self.EARLIEST <= parsed < self.LATEST:
            raise serializers.ValidationError(_("Give a date and time between 1950 and 2199."))
        return parsed
