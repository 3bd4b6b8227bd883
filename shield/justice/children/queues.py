"""The children part's work queues on the home page ("Waiting for you") and its section of the
justice worklist: child deadlines breached, compliance reports due, sessions planned — in the
proceedings the officer is assigned to."""

import datetime
import importlib
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
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


def _url(party_id: object) -> str:
    return reverse("justice:child_party", kwargs={"party_id": party_id})


def breach_rows(user: User, today: datetime.date, limit: int) -> list[Any]:
    """Rows of the proceedings part's worklist section (its `Row`), in two queries."""
    from shield.justice.children import rules

    row = _row_type()
    items = list(selectors.breaches_open_for(user=user)[:limit])
    return [
        row(
            proceeding=b.party.proceeding,
            label=str(rules.deadline_label(b.key)),
            due=b.due_at,
            breached=True,
            url=_url(b.party_id),
        )
        for b in items
    ]


def report_rows(user: User, today: datetime.date, limit: int) -> list[Any]:
    row = _row_type()
    items = list(selectors.reports_due_for(user=user)[:limit])
    return [
        row(
            proceeding=r.diversion.proceeding,
            label=str(_("Diversion compliance report")),
            due=r.due_on,
            breached=r.due_on < today,
            url=reverse("justice:child_diversion", kwargs={"diversion_id": r.diversion_id}),
        )
        for r in items
    ]


def interview_rows(user: User, today: datetime.date, limit: int) -> list[Any]:
    row = _row_type()
    items = list(selectors.interviews_planned_for(user=user)[:limit])
    return [
        row(
            proceeding=i.proceeding,
            label=str(i.get_kind_display()),
            due=i.started_at,
            url=reverse("justice:child_interview", kwargs={"interview_id": i.pk}),
        )
        for i in items
    ]


def _worklist_module() -> Any:
    """The proceedings part's justice worklist (`shield/justice/proceedings/worklist.py`), if merged."""
    try:
        return importlib.import_module("shield.justice.proceedings.worklist")
    except ImportError:
        return None


def _row_type() -> Any:
    module = _worklist_module()
    return module.Row if module is not None else _Row


@dataclass(frozen=True)
class _Row:
    proceeding: Any
    label: str
    due: Any
    breached: bool = False
    url: str = ""


def register() -> None:
    """Sections of the justice worklist when the proceedings part's registry is there (it also
    registers their home-page queues); otherwise the home-page queues alone, leading to
    `/justice/children/`."""
    module = _worklist_module()
    if module is not None:
        for key, title, rows, count, section, order in (
            (
                "justice_child_deadlines",
                _("Child deadlines breached"),
                breach_rows,
                breaches_count,
                "deadlines",
                12,
            ),
            (
                "justice_diversion_reports",
                _("Diversion reports due"),
                report_rows,
                reports_count,
                "reports",
                40,
            ),
            (
                "justice_child_interviews",
                _("Child interviews planned"),
                interview_rows,
                interviews_count,
                "interviews",
                30,
            ),
        ):
            module.register_section(
                module.Section(
                    key=key,
                    title=title,
                    rows=rows,
                    count=lambda user, today, count=count: count(user),
                    url_name="justice:child_worklist",
                    query=f"section={section}",
                    permission="justice.view",
                    order=order,
                )
            )
        return
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
