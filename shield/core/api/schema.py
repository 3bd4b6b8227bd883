"""The OpenAPI schema's error answers, documented once for every operation.

Each view documents the refusals of its own (a 409 on a stage move, a 412 on a stale version);
this hook adds the answers any operation can give, with the one error shape
(`shield.core.api.errors`): not signed in, not allowed, not found (also a forged page cursor),
too many requests, and for operations with a body or query parameters, field errors, a body too
large and a media type the API does not read.
"""

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "The error shape: `detail`, a sentence for the user, and for field errors a list of messages "
        "per field (an object of such lists for a nested field)."
    ),
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": {"description": "The messages for this field."},
}

ANY_OPERATION = {
    "401": "Not signed in (no session, or no valid token).",
    "403": "Your role may not do this.",
    "404": "No such record in your reach, no such route, or a page cursor that is not valid.",
    "429": "Too many requests: wait, then try again.",
}
WITH_INPUT = {
    "400": "Field errors: a list of messages per field, and `detail`.",
}
WITH_BODY = {
    "413": "The request body is larger than the API accepts.",
    "415": "The body's media type is not one the API reads (send application/json).",
}


def document_error_answers(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            answers = dict(ANY_OPERATION)
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if "requestBody" in operation or has_query:
                answers.update(WITH_INPUT)
            if "requestBody" in operation:
                answers.update(WITH_BODY)
            responses = operation.setdefault("responses", {})
            for code, description in answers.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
                )
            # A refusal a view documents by its description alone has the one error shape too.
            for code, answer in responses.items():
                if code.startswith("4") and "content" not in answer:
                    answer["content"] = {"application/json": {"schema": ERROR_REF}}
    return result
