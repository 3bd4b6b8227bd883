"""The children part's sections of the justice worklist (each also a queue on the home page's
"Waiting for you"): child deadlines breached, compliance reports due, sessions planned — in the
proceedings the officer is assigned to."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shield.accounts.models import User
from shield.justice.children import selectors
from shield.justice.proceedings import worklist


def _url(party_id: object) -> str:
    return reverse("justice:child_party", kwargs={"party_id": party_id})


def breaches(user: User, today: datetime.date) -> QuerySet[Any]:
    return selectors.breaches_open_for(user=user)


def reports_due(user: User, today: datetime.date) -> QuerySet[Any]:
    return selectors.reports_due_for(user=user)


def interviews_planned(user: User, today: datetime.date) -> QuerySet[Any]:
    return selectors.interviews_planned_for(user=user)


def breach_rows(user: User, today: datetime.date, limit: int) -> list[worklist.Row]:
    from shield.justice.children import rules

    return [
        worklist.Row(
            proceeding=b.party.proceeding,
            label=str(rules.deadline_label(b.key)),
            due=b.due_at,
            breached=True,
            url=_url(b.party_id),
        )
        for b in breaches(user, today)[:limit]
    ]


def report_rows(user: User, today: datetime.date, limit: int) -> list[worklist.Row]:
    return [
        worklist.Row(
            proceeding=r.diversion.proceeding,
            label=str(_("Diversion compliance report")),
            due=r.due_on,
            breached=r.due_on < today,
            url=reverse("justice:child_diversion", kwargs={"diversion_id": r.diversion_id}),
        )
        for r in reports_due(user, today)[:limit]
    ]


def interview_rows(user: User, today: datetime.date, limit: int) -> list[worklist.Row]:
    return [
        worklist.Row(
            proceeding=i.proceeding,
            label=str(i.get_kind_display()),
            due=i.started_at,
            url=reverse("justice:child_interview", kwargs={"interview_id": i.pk}),
        )
        for i in interviews_planned(user, today)[:limit]
    ]


def register() -> None:
    for key, title, rows, items, section, order in (
        ("justice_child_deadlines", _("Child deadlines breached"), breach_rows, breaches, "deadlines", 12),
        ("justice_diversion_reports", _("Diversion reports due"), report_rows, reports_due, "reports", 40),
        (
            "justice_child_interviews",
            _("Child interviews planned"),
            interview_rows,
            interviews_planned,
            "interviews",
            30,
        ),
    ):
        worklist.register_section(
            worklist.Section(
                key=key,
                title=title,
                rows=rows,
                items=items,
                url_name="justice:child_worklist",
                query=f"section={section}",
                permission="justice.view",
                order=order,
            )
        )
