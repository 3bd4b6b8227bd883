"""Per-request facts (request id, client address) that audit events carry without threading them
through every call."""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    # (object type, object id) of existing records this request asked for but was refused as
    # "not found" (`shield.core.lookups`); audited once the answer is made (shield.audit.reach).
    out_of_reach: list[tuple[str, str]] = field(default_factory=list)


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
