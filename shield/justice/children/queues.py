"""The children part's work queues on the home page ("Waiting for you") and its section of the
justice worklist: child deadlines breached, compliance reports due, sessions planned — in the
proceedings the officer is assigned to."""

from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.justice.children import selectors
from shield.notifications import worklists


def breaches_count(user: User) -> int:
    return worklists.capped_count(selectors.breaches_open_for(user=user))


def reports_count(user: User) -> int:
    return worklists.capped_count(selectors.reports_due_for(user=user))


def interviews_count(user: User) -> int:
    return worklists.capped_count(selectors.interviews_planned_for(user=user))


def section(user: User) -> list[tuple[str, int, str]]:
    """(label, count, url query) of each non-empty part, for the proceedings part's justice worklist
    (`shield/justice/proceedings/worklist.py`, registered there at merge)."""
    parts = [
        (str(_("Child deadlines breached")), breaches_count(user), "section=deadlines"),
        (str(_("Diversion reports due")), reports_count(user), "section=reports"),
        (str(_("Child interviews planned")), interviews_count(user), "section=interviews"),
    ]
    return [p for p in parts if p[1]]


def register() -> None:
    worklists.register(
        worklists.Worklist(
            key="justice_child_deadlines",
            title=_("Child deadlines breached"),
            count=breaches_count,
            url_name="justice:child_worklist",
            query="section=deadlines",
            permission="justice.view",
            order=25,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="justice_diversion_reports",
            title=_("Diversion reports due"),
            count=reports_count,
            url_name="justice:child_worklist",
            query="section=reports",
            permission="justice.view",
            order=26,
        )
    )
    worklists.register(
        worklists.Worklist(
            key="justice_child_interviews",
            title=_("Child interviews planned"),
            count=interviews_count,
            url_name="justice:child_worklist",
            query="section=interviews",
            permission="justice.view",
            order=27,
        )
    )
