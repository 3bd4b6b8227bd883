"""The API's JSON parser: bounded in size, depth and text, so odd input is a 400, never a 500.

DRF reads a JSON body straight from the request stream, around Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, so the size limit is applied here too (413). Nesting deeper than
`SHIELD_API_MAX_JSON_DEPTH` and lone surrogates (`"\\ud800"`, which can be parsed but never
encoded again, so echoing one in an error message failed) are refused before any serializer
sees the data.
"""

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

DEFAULT_MAX_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "request_too_large"


def body_limit() -> int | None:
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit


def read_bounded(stream: Any, meta: Mapping[str, Any]) -> bytes:
    """The body, refused (413) past DATA_UPLOAD_MAX_MEMORY_SIZE whether or not it says its length."""
    limit = body_limit()
    if limit is None:
        data: bytes = stream.read()
        return data
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise RequestTooLarge()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RequestTooLarge()
    return data


def check_parsed(data: Any, *, max_depth: int) -> None:
    """Walk the parsed value without recursion: nesting at most `max_depth`, text encodable."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(_("The JSON is nested too deeply."))
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_text(key)
                    pending.append((item, depth + 1))
            else:
                pending.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(_("The JSON contains text that is not valid Unicode.")) from exc


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        request = parser_context.get("request")
        meta = getattr(request, "META", {}) if request is not None else {}
        raw = read_bounded(stream, meta)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ParseError(_("The JSON is nested too deeply.")) from exc
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
            raise ParseError(_("The body is not valid JSON.")) from exc
        check_parsed(data, max_depth=getattr(settings, "SHIELD_API_MAX_JSON_DEPTH", DEFAULT_MAX_DEPTH))
        return data


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; DRF's own parser refuses them too (strict mode).
    raise ValueError(name)
