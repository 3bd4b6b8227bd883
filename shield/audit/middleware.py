"""Middleware that audits, once the answer is made, the records out of reach a request asked for."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from shield.audit.reach import record_out_of_reach
from shield.core import request_context


class OutOfReachAuditMiddleware:
    """Writes the events after the view, outside its transaction: a view or service that rolls back
    on the refusal (NotFound inside `transaction.atomic`) would otherwise take the event with it.

    Placed inside RequestContextMiddleware. API views authenticate by token inside the view; DRF
    sets the same user on the request, so it is known here too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        context = request_context.current()
        user = getattr(request, "user", None)
        if context is not None and context.out_of_reach and user is not None and user.is_authenticated:
            record_out_of_reach(actor=user, requested=context.out_of_reach)
        return response
