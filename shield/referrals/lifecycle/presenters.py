"""What the referral pages show: list rows and the receiver's minimum dataset.

The receiving side sees the minimum dataset of the referred person (the name unless masked, age,
sex, languages, the needs of the case's latest assessment, the urgency and the referring worker as
contact), never the case file, unless the cases app lets them see the case (a `CaseAccess` granted
on the person's consent to share the case with that agency): then the page links to the case.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.cases import selectors as case_selectors
from shield.cases.models import AssessmentNeed, NeedLevel
from shield.core.access import AccessSubject
from shield.people import selectors as people_selectors
from shield.people.models import Person
from shield.referrals.lifecycle import selectors
from shield.referrals.models import SHELTER_SERVICE_TYPE, Referral, ReferralStatus


def age_of(person: Person, on: datetime.date | None = None) -> int | None:
    day = on or timezone.localdate()
    if person.birth_date is not None:
        born = person.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if person.estimated_age is not None and person.age_estimated_on is not None:
        return person.estimated_age + (day - person.age_estimated_on).days // 365
    if person.birth_year:
        return day.year - person.birth_year
    return None


def overdue_reason(referral: Referral, now: datetime.datetime) -> str:
    """'answer' (not answered by its deadline), 'outcome' (no outcome in time) or ''."""
    if referral.status in selectors.ANSWER_WAITING and referral.respond_by < now:
        return "answer"
    if (
        referral.status in selectors.OUTCOME_WAITING
        and referral.outcome_due_by is not None
        and referral.outcome_due_by < now
    ):
        return "outcome"
    return ""


@dataclass
class Row:
    referral: Referral
    name: str
    overdue: str


def rows(*, user: User, referrals: Iterable[Referral]) -> list[Row]:
    now = timezone.now()
    subject = cast(AccessSubject, user)
    return [
        Row(
            referral=r,
            name=people_selectors.display_name_for(user=subject, person=r.person),
            overdue=overdue_reason(r, now),
        )
        for r in referrals
    ]


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    testid: str


def next_steps(*, user: User, referral: Referral) -> list[NextStep]:
    """Links to what the receiving side does next, where this user may: admit to the shelter (an
    accepted shelter referral: its staff, or a supervisor over the shelter) and record support
    delivered (an accepted referral: the provider's staff, or the case's workers for an external
    provider). The referral detail page and the case page's referral panel show them."""
    from shield.referrals.support import access as support_access
    from shield.referrals.support.services import DELIVERABLE_STATUSES

    found: list[NextStep] = []
    service = referral.service
    if (
        referral.status == ReferralStatus.ACCEPTED
        and service is not None
        and service.service_type == SHELTER_SERVICE_TYPE
        and (selectors.may_answer(user, referral) or selectors.supervises_receiver(user, referral))
    ):
        url = reverse("referrals:shelter_admit", args=[service.pk])
        found.append(NextStep(_("Admit to the shelter"), f"{url}?referral={referral.pk}", "admit-link"))
    if referral.status in DELIVERABLE_STATUSES and support_access.may_record_for(
        user, provider=referral.provider, case=referral.case
    ):
        url = reverse("referrals:delivery_create")
        found.append(
            NextStep(_("Record support delivered"), f"{url}?referral={referral.pk}", "record-support-link")
        )
    return found


@dataclass
class MinimumDataset:
    name: str
    age: int | None
    sex: str
    languages: Sequence[str]
    needs: list[tuple[str, str]] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_agency: str = ""


def minimum_dataset(*, user: User, referral: Referral) -> MinimumDataset:
    person = referral.person
    latest = referral.case.assessments.order_by("-assessed_on", "-created_at").first()
    needs: list[tuple[str, str]] = []
    if latest is not None:
        for need in AssessmentNeed.objects.filter(assessment=latest).exclude(level=NeedLevel.NONE):
            needs.append((need.get_domain_display(), need.get_level_display()))
    worker = referral.referred_by
    return MinimumDataset(
        name=people_selectors.display_name_for(user=cast(AccessSubject, user), person=person),
        age=age_of(person),
        sex=person.get_sex_display(),
        languages=[str(code) for code in (person.languages or [])],
        needs=needs,
        contact_name=worker.get_full_name() or worker.get_username(),
        contact_email=worker.email,
        contact_agency=referral.from_agency.name,
    )


def case_link_allowed(*, user: User, referral: Referral) -> bool:
    """Whether the page may link to the case: the cases app already lets the user see it."""
    return case_selectors.can_view(user=user, case=referral.case)


def actions_for(*, user: User, referral: Referral) -> list[str]:
    """The steps this user may take now, in the order the buttons show."""
    status = referral.status
    S = ReferralStatus
    found: list[str] = []
    if selectors.may_answer(user, referral):
        if status in (S.SENT, S.WAITLISTED):
            found += ["accept", "decline"]
        if status == S.SENT:
            found.append("waitlist")
        if status == S.ACCEPTED:
            found.append("start_service")
    if status in (S.ACCEPTED, S.IN_SERVICE) and selectors.may_complete(user, referral):
        found.append("complete")
    if referral.is_open and selectors.may_cancel(user, referral):
        found.append("cancel")
    if referral.is_open and selectors.may_revoke(user, referral):
        found.append("revoke")
    return found


def labels() -> dict[str, Any]:
    from django.utils.translation import gettext_lazy as _

    return {
        "accept": _("Accept"),
        "decline": _("Decline"),
        "waitlist": _("Put on the waiting list"),
        "start_service": _("Service started"),
        "complete": _("Record the outcome"),
        "cancel": _("Cancel the referral"),
        "revoke": _("Revoke the referral"),
    }
