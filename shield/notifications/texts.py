"""What a notification says, rendered from its kind and parameters in the reader's language.

Nothing here is stored: a Vietnamese reader and an English reader see the same notification each in
their own language, and a wording fixed later reaches old notifications too. Parameters are the
non-personal values `ALLOWED_PARAMS` lists; an agency is named by its code and shown by its name.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shield.accounts.models import Agency
from shield.notifications.models import Kind

# The only keys a notification's parameters may hold, and the longest value of each: references,
# codes and counts, so nothing personal can slip in through a new call site.
ALLOWED_PARAMS: dict[str, int] = {
    "reference": 80,  # a case or tip reference ("SPC-HA-NOI-2026-000123")
    "agency": 60,  # an agency's code
    "count": 12,
    "outcome": 20,  # accepted, declined, cancelled, approved, returned
    "source": 20,  # screening, tip
    "due": 10,  # an ISO date
    "urgent": 5,
}


def agencies_named(params_list: Iterable[Mapping[str, Any]]) -> dict[str, Agency]:
    """The agencies the given parameters name, by code, in one query (none when none is named)."""
    codes = {str(p["agency"]) for p in params_list if p.get("agency")}
    if not codes:
        return {}
    return {a.code: a for a in Agency.objects.filter(code__in=codes)}


def _shown_date(iso: str) -> str:
    try:
        return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")
    except ValueError:
        return iso


def render(kind: str, params: Mapping[str, Any], agencies: Mapping[str, Agency] | None = None) -> str:
    """The notification's sentence in the active language."""
    code = str(params.get("agency") or "")
    found = (agencies or {}).get(code)
    values = {
        "reference": str(params.get("reference") or ""),
        "agency": found.name if found is not None else code,
        "due": _shown_date(str(params.get("due") or "")),
    }
    outcome = params.get("outcome")
    if kind == Kind.TRANSFER_REQUESTED:
        return _("Case %(reference)s: %(agency)s asks your agency to take it over.") % values
    if kind == Kind.TRANSFER_ANSWERED:
        if outcome == "accepted":
            return _("Case %(reference)s: %(agency)s accepted the transfer.") % values
        if outcome == "declined":
            return _("Case %(reference)s: %(agency)s declined the transfer.") % values
        return _("Case %(reference)s: the transfer to %(agency)s was cancelled.") % values
    if kind == Kind.CARE_PLAN_SUBMITTED:
        return _("Case %(reference)s: a care plan waits for your approval.") % values
    if kind == Kind.CARE_PLAN_ANSWERED:
        if outcome == "approved":
            return _("Case %(reference)s: the care plan was approved.") % values
        return _("Case %(reference)s: the care plan was returned for changes.") % values
    if kind == Kind.CLOSURE_SUBMITTED:
        return _("Case %(reference)s: a request to close the case waits for your decision.") % values
    if kind == Kind.CLOSURE_ANSWERED:
        if outcome == "approved":
            return _("Case %(reference)s: the closure was approved; the case is closed.") % values
        return _("Case %(reference)s: the request to close the case was returned.") % values
    if kind == Kind.ACTION_OVERDUE:
        return _("Case %(reference)s: an action of the care plan is overdue (due %(due)s).") % values
    if kind == Kind.TIP_ASSIGNED:
        return _("Tip %(reference)s was assigned to your agency.") % values
    if kind == Kind.LINKAGE_PAIRS_WAITING:
        count = int(params.get("count") or 0)
        return ngettext(
            "%(count)d pair of possible duplicates waits for review.",
            "%(count)d pairs of possible duplicates wait for review.",
            count,
        ) % {"count": count}
    if kind == Kind.SCREENING_REFERRAL:
        if params.get("source") == "tip":
            text = _("Case %(reference)s was opened for your agency from a hotline tip.") % values
        else:
            text = _("Case %(reference)s was opened for your agency after a screening.") % values
        if params.get("urgent"):
            text = _("Urgent: %(text)s") % {"text": text}
        return text
    if kind == Kind.REFERRAL_RECEIVED:
        if params.get("urgent"):
            return _("Urgent referral %(reference)s from %(agency)s waits for your answer.") % values
        return _("Referral %(reference)s from %(agency)s waits for your answer.") % values
    if kind == Kind.REFERRAL_ANSWERED:
        if outcome == "accepted":
            return _("Referral %(reference)s was accepted.") % values
        if outcome == "declined":
            return _("Referral %(reference)s was declined.") % values
        if outcome == "waitlisted":
            return _("Referral %(reference)s was put on the waiting list.") % values
        if outcome == "in_service":
            return _("Referral %(reference)s: the service has started.") % values
        return _("Referral %(reference)s was completed with an outcome.") % values
    if kind == Kind.REFERRAL_NO_ANSWER:
        return _("Referral %(reference)s was not answered by its deadline.") % values
    if kind == Kind.REFERRAL_NO_OUTCOME:
        return _("Referral %(reference)s has no outcome by %(due)s.") % values
    if kind == Kind.CHILD_DEADLINE_BREACHED:
        return (
            _("Proceeding %(reference)s: a deadline of a child's rules was breached (due %(due)s).") % values
        )
    if kind == Kind.RETURNEE_MET_AGAIN:
        if params.get("source") == "screening":
            return _("A returnee you followed (%(reference)s) was screened at a border gate again.") % values
        if params.get("source") == "tip":
            return _("A returnee you followed (%(reference)s) was named in a tip.") % values
        return _("A returnee you followed (%(reference)s) was registered again by an agency.") % values
    if kind == Kind.FOLLOWUP_OVERDUE:
        return _("A reintegration follow-up (%(reference)s) is overdue since %(due)s.") % values
    return _("Something waits for you.")
