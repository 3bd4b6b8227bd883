"""The PDF summary of a case (WeasyPrint), printed from `templates/cases/summary_pdf.html`.

What it shows follows the reader's role, as the pages do: the person's name as `display_name_for`
allows (a child's name masked for roles that do not need it), and case notes and other narratives
(the basis of decisions, assessment notes) only for roles that work on cases (`cases.edit`).
WeasyPrint fetches nothing: the template carries its own styles and the fetcher allows only
`data:` addresses. The caller records the export in the audit log.

WeasyPrint runs in a child process (`pdf_render`) killed after SHIELD_PDF_TIMEOUT_SECONDS, and
what it lays out is bounded: every text has its length limit at entry (a note 20,000
characters) and at most SHIELD_PDF_MAX_NOTES notes are printed, the newest, and no more of them than
SHIELD_PDF_MAX_NOTE_CHARACTERS characters together.
"""

import subprocess
import sys
from typing import Any, cast

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.cases import presenters, selectors, value_sets
from shield.cases.models import WORKING_PLAN_STATUSES, CarePlanStatus, Case, TraffickingDetails
from shield.cases.services.details import MULTI_SELECT_FIELDS
from shield.core.access import AccessSubject
from shield.core.errors import ApplicationError
from shield.people.selectors import display_name_for

DEFAULT_MAX_NOTES = 200
DEFAULT_MAX_NOTE_CHARACTERS = 200_000


class PdfTooSlow(ApplicationError):
    """The PDF was not ready in time (or its renderer failed); nothing was exported."""

    status_code = 503
    default_message = _(
        "The PDF summary took too long to prepare and was stopped. Try again later; if it keeps "
        "happening, tell your administrator."
    )


def summary_context(*, user: User, case: Case) -> dict[str, Any]:
    """Everything the summary prints, read through the selectors (access applied)."""
    name = display_name_for(user=cast(AccessSubject, user), person=case.person)
    narratives = selectors.reads_narratives(user)
    details = presenters.trafficking_details_for(user=user, case=case)
    details_shown = []
    if details is not None:
        for field, value_set in MULTI_SELECT_FIELDS.items():
            chosen = [value_sets.label(value_set, v) for v in getattr(details, field)]
            if chosen:
                details_shown.append((presenters.field_label(TraffickingDetails, field), chosen))
        if details.relationship_to_trafficker:
            details_shown.append(
                (
                    presenters.field_label(TraffickingDetails, "relationship_to_trafficker"),
                    [
                        value_sets.label(
                            value_sets.RELATIONSHIP_TO_TRAFFICKER, details.relationship_to_trafficker
                        )
                    ],
                )
            )
    plans = list(selectors.care_plans_for(user=user, case=case))
    plan = next((p for p in plans if p.status == CarePlanStatus.APPROVED), None) or next(
        (p for p in plans if p.status in WORKING_PLAN_STATUSES), None
    )
    assessments = list(selectors.assessments_for(user=user, case=case))
    return {
        "case": case,
        "person_name": name,
        "name_hidden": name != case.person.full_name,
        "narratives": narratives,
        "verification": presenters.verification_for(case),
        "decisions": list(selectors.identification_decisions_for(user=user, case=case)),
        "details": details,
        "details_shown": details_shown,
        "places": list(selectors.trafficking_places_for(user=user, case=case)),
        "assessment": assessments[0] if assessments else None,
        "plan": plan,
        "consents": list(selectors.consents_for(user=user, case=case)),
        "stage_changes": list(selectors.stage_changes_for(user=user, case=case)),
        **_notes(user=user, case=case),
        "printed_by": user,
        "printed_at": timezone.localtime(),
    }


def _notes(*, user: User, case: Case) -> dict[str, Any]:
    """The newest notes, as many as the limits allow: a count and a total of characters (the
    layout time grows with the text; 200 notes of 1,000 characters take about 4 s)."""
    limit = getattr(settings, "SHIELD_PDF_MAX_NOTES", DEFAULT_MAX_NOTES)
    budget = getattr(settings, "SHIELD_PDF_MAX_NOTE_CHARACTERS", DEFAULT_MAX_NOTE_CHARACTERS)
    candidates = list(selectors.case_notes_for(user=user, case=case)[: limit + 1])
    notes = bounded_notes(candidates, limit=limit, budget=budget)
    return {"notes": notes, "notes_left_out": len(notes) < len(candidates), "notes_printed": len(notes)}


def bounded_notes(candidates: list[Any], *, limit: int, budget: int) -> list[Any]:
    """The first notes of `candidates` (newest first) within `limit` notes and `budget` characters."""
    notes: list[Any] = []
    used = 0
    for note in candidates[:limit]:
        used += len(note.body or "")
        if notes and used > budget:
            break
        notes.append(note)
    return notes


def summary_html(*, user: User, case: Case) -> str:
    return render_to_string("cases/summary_pdf.html", summary_context(user=user, case=case))


def case_summary_pdf(*, user: User, case: Case) -> bytes:
    """The summary as PDF bytes, for a case the user obtained through `case_get_for`; PdfTooSlow
    when the renderer runs past its time limit or fails."""
    html = summary_html(user=user, case=case)
    return html_to_pdf(html, timeout=settings.SHIELD_PDF_TIMEOUT_SECONDS)


def html_to_pdf(html: str, *, timeout: float) -> bytes:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "shield.cases.pdf_render"],
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=True,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:  # the child is killed
        raise PdfTooSlow() from exc
    return done.stdout
