"""Auditor pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.view_events"):
        return render(request, "403.html", status=403)
    return render(request, "403.html", status=501)
