"""htmx helpers: answer an htmx request with just the part of the page it asked for."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (boosted links want the whole page)."""
    details = getattr(request, "htmx", None)
    return bool(details) and not getattr(details, "boosted", False)


def render_page_or_partial(
    request: HttpRequest, template_name: str, context: dict[str, Any], *, partial: str, status: int = 200
) -> HttpResponse:
    """Render the whole page, or only its `{% partialdef partial %}` for an htmx request.

    The same view and context serve both, so a page works without JavaScript and updates in place
    with it. `Vary: HX-Request` keeps caches from mixing the two answers.
    """
    name = f"{template_name}#{partial}" if is_htmx(request) else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
