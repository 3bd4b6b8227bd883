"""API answers that belong to no app: the JSON 404 for a path no route matches."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


# Nothing is changed here, and a refusal for a missing CSRF token would be an HTML page.
@csrf_exempt
def api_not_found(request: HttpRequest) -> JsonResponse:
    """A path under /api/v1/ that no route matches, such as one with a malformed id: the API's
    error shape, whatever the method, and nothing about which routes exist."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
