"""OpenAPI pieces the case endpoints share: the If-Match and ETag headers, and the error answers."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

# One error shape for the whole API (`{"detail": ..., field: [...]}`), one component in the schema.
from shield.people.api.serializers import ErrorSerializer

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag of the version the change is based on, such as "3". Without it, send `version` in '
        "the body; with neither the change is refused (428)."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The version of the record, such as "3": send it back as If-Match to change it.',
)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new case's URL."
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


BAD_REQUEST = _error("Field errors: a list of messages per field, and `detail`.")
FORBIDDEN = _error("Your role may not do this (or this is not yours to decide).")
NOT_FOUND = _error("No such case, or record of it, in your reach.")
CONFLICT = _error("The case's stage or the record's state does not allow this now; `detail` says why.")
STALE = _error("Someone else changed the record since you read it: nothing was saved.")
VERSION_REQUIRED = _error("Name the version the change is based on: If-Match or `version` in the body.")

READ_ERRORS: dict[int, OpenApiResponse] = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE_ERRORS: dict[int, OpenApiResponse] = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
VERSIONED_ERRORS: dict[int, OpenApiResponse] = {**WRITE_ERRORS, 412: STALE, 428: VERSION_REQUIRED}


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """One enum component per choice set, named after it (see `serializers.NamedChoiceField`)."""

    target_class = "shield.cases.api.serializers.NamedChoiceField"

    def get_name(self) -> str:
        name: str = self.target.enum_name
        return name

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return build_choice_field(self.target)
