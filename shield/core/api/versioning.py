"""ETag and If-Match for versioned records: no client can overwrite a record blindly.

A record's ETag is `"<version>"`. A write names the version it was based on, in `If-Match` or as
`version` in the body; a stale one answers 412 (nothing written), one naming none answers 428.
"""

import re
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from shield.core.errors import StaleVersion, ValidationFailed
from shield.core.models import VersionedModel

# At most 18 digits: a version is a 64-bit integer, and a longer run of digits would only meet
# Python's limit on converting long numbers (a server error) instead of a clear 400.
_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')


def etag(instance: VersionedModel) -> str:
    return f'"{instance.version}"'


def with_etag(response: Response, instance: VersionedModel) -> Response:
    response["ETag"] = etag(instance)
    return response


def expected_version(request: Request, current: VersionedModel | None = None) -> int | None:
    """The version a write is based on: If-Match first, then `version` in the body; None if neither.

    With `current`, an If-Match that does not match is refused here already (412), before any
    validation runs, so a stale client learns it is stale rather than about field errors.
    """
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        match = _ETAG.match(header)
        if match is None:
            raise ValidationFailed(field_errors={"If-Match": ['Expected an ETag such as "3".']})
        version = int(match.group(1))
        if current is not None and version != current.version:
            raise StaleVersion()
        return version
    body: Any = request.data
    raw = body.get("version") if hasattr(body, "get") else None
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(field_errors={"version": ["A whole number is required."]}) from exc
