"""The PDF summary of a case (WeasyPrint), printed from `templates/cases/summary_pdf.html`.

What it shows follows the reader's role, as the pages do: the person's name as `display_name_for`
allows (a child's name masked for roles that do not need it), and case notes and other narratives
(the basis of decisions, assessment notes) only for roles that work on cases (`cases.edit`).
WeasyPrint fetches nothing: the template carries its own styles and the fetcher allows only
`data:` addresses. The caller records the export in the audit log.
"""

from typing import Any, cast

from django.template.loader import render_to_string
from django.utils import timezone

from shield.accounts.models import User
from shield.cases import presenters, selectors, value_sets
from shield.cases.models import WORKING_PLAN_STATUSES, CarePlanStatus, Case, TraffickingDetails
from shield.cases.services.details import MULTI_SELECT_FIELDS
from shield.core.access import AccessSubject
from shield.people.selectors import display_name_for


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
        "notes": list(selectors.case_notes_for(user=user, case=case)),
        "printed_by": user,
        "printed_at": timezone.localtime(),
    }


def summary_html(*, user: User, case: Case) -> str:
    return render_to_string("cases/summary_pdf.html", summary_context(user=user, case=case))


def case_summary_pdf(*, user: User, case: Case) -> bytes:
    """The summary as PDF bytes, for a case the user obtained through `case_get_for`."""
    # Imported here: WeasyPrint loads its fonts and stylesheets on import, which only PDFs need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = HTML(string=summary_html(user=user, case=case), url_fetcher=URLFetcher(allowed_protocols={"data"}))
    content = html.write_pdf()
    assert content is not None
    return bytes(content)
