"""Per-request facts (request id, client address) that audit events carry without threading them
through every call."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "shield_request_context", default=None
)


def current() -> RequestContext | None:
    return _current.get()


def activate(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def deactivate(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
