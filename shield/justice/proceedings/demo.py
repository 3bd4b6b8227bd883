"""Demo data of the proceedings part, loaded by shield/justice/demo.py: justice officers at the Hà
Nội procuracy and court, and a proceeding at every step (report received to execution, with a
suspension, a return for further investigation and a dismissal), each with child and adult parties
(victims linked to Hà Nội's demo protection cases where there are some, witnesses, accused), all
through the services. Runs once: a database that already has proceedings is left alone."""

import datetime
from typing import Any, TextIO

from django.utils import timezone, translation

from shield.accounts import services as account_services
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import Role, Scope
from shield.cases.models import Case
from shield.justice.models import HoldingRole, PartyRole, Proceeding, ProceedingKind, StepKind
from shield.justice.proceedings import services
from shield.people import selectors as people_selectors
from shield.people.models import Person

# (username, first name, last name, agency code)
OFFICERS = [
    ("procuracy.hanoi", "Quân", "Đỗ Minh", "procuracy-ha-noi"),
    ("court.hanoi", "Thu", "Vương Thị", "court-ha-noi"),
]
# Each demo proceeding is advanced through these steps up to its own last one; hand-overs happen
# after "investigation concluded" (to the procuracy), "indictment" (to the court) and "judgment in
# force" (to enforcement, the police).
PATH = [
    StepKind.CASE_INSTITUTED,
    StepKind.ACCUSED_CHARGED,
    StepKind.INVESTIGATION_CONCLUDED,
    StepKind.INDICTMENT,
    StepKind.FIRST_INSTANCE_TRIAL,
    StepKind.APPEAL,
    StepKind.JUDGMENT_IN_FORCE,
    StepKind.EXECUTION,
]
HAND_OVER_AFTER = {
    StepKind.INVESTIGATION_CONCLUDED: ("procuracy-ha-noi", HoldingRole.PROCURACY),
    StepKind.INDICTMENT: ("court-ha-noi", HoldingRole.COURT),
    StepKind.JUDGMENT_IN_FORCE: ("police-ha-noi", HoldingRole.ENFORCEMENT),
}
# (last step on the path, extra step after it, offences)
SCENARIOS: list[tuple[str | None, str | None, tuple[str, ...]]] = [
    (None, None, ("BLHS-150",)),
    (StepKind.CASE_INSTITUTED, None, ("BLHS-151",)),
    (StepKind.ACCUSED_CHARGED, None, ("BLHS-150", "BLHS-348")),
    (StepKind.INVESTIGATION_CONCLUDED, None, ("BLHS-151",)),
    (StepKind.INDICTMENT, None, ("BLHS-150",)),
    (StepKind.FIRST_INSTANCE_TRIAL, None, ("BLHS-142",)),  # the trial is a hearing ahead
    (StepKind.APPEAL, None, ("BLHS-150",)),
    (StepKind.JUDGMENT_IN_FORCE, None, ("BLHS-146",)),
    (StepKind.EXECUTION, None, ("BLHS-150", "BLHS-151")),
    (StepKind.ACCUSED_CHARGED, StepKind.SUSPENDED, ("BLHS-173",)),
    (StepKind.INDICTMENT, StepKind.RETURNED_FOR_INVESTIGATION, ("BLHS-150",)),
    (StepKind.CASE_INSTITUTED, StepKind.DISMISSED, ("BLHS-157",)),
]
PARTY_NAMES = [
    ("Lò Thị Mây", "female", 14),
    ("Vàng Seo Páo", "male", 16),
    ("Nguyễn Văn Hùng", "male", 38),
    ("Trần Thị Bích", "female", 45),
    ("Hà Văn Tú", "male", 15),
]
WITNESS_GIVEN = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khánh", "Linh", "My", "Nga", "Oanh", "Phúc"]


def _officer(username: str, first: str, last: str, agency: Agency, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            actor=None, username=username, password=password, first_name=first, last_name=last
        )
    if not Membership.objects.filter(user=user, agency=agency, is_active=True).exists():
        account_services.membership_grant(
            actor=None, user=user, agency=agency, role=Role.JUSTICE_OFFICER, scope=Scope.AGENCY
        )
    return user


def _person(actor: User, agency: Agency, name: str, sex: str, age: int, on: datetime.date) -> Person | None:
    """A person of the people demo the officer may see, of this sex and about this age, who takes no
    part yet: the justice demo registers nobody of its own, so `--persons N` still gives N people."""
    born = on.replace(year=on.year - age, day=1) - datetime.timedelta(days=200)
    return demo_person(actor=actor, sex=sex, born=born)


def demo_person(*, actor: User, sex: str, born: datetime.date) -> Person | None:
    """The nearest in age within three years, children staying children and adults adults."""
    free = people_selectors.person_list_for(user=actor).filter(
        sex=sex, cases__isnull=True, justice_parties__isnull=True, birth_date__isnull=False
    )
    near = free.filter(
        birth_date__gte=born - datetime.timedelta(days=3 * 365),
        birth_date__lte=born + datetime.timedelta(days=3 * 365),
    )
    return near.order_by("created_at").first()


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if Proceeding.objects.exists():
        return
    agencies = {
        a.code: a
        for a in Agency.objects.filter(code__in=["police-ha-noi", "procuracy-ha-noi", "court-ha-noi"])
    }
    police = User.objects.filter(username="police.hanoi").first()
    if police is None or len(agencies) < 3:
        return
    with translation.override("en"):
        officers = {"police-ha-noi": police}
        for username, first, last, code in OFFICERS:
            officers[code] = _officer(username, first, last, agencies[code], options["password"])
        cases = list(
            Case.objects.filter(
                owner_agency__province=agencies["police-ha-noi"].province,
                person__owner_agency__province=agencies["police-ha-noi"].province,
            ).order_by("opened_at")[: len(SCENARIOS)]
        )
        now = timezone.now()
        count = 0
        for index, (final, extra, codes) in enumerate(SCENARIOS):
            reported = now - datetime.timedelta(days=400 - index * 25)
            proceeding = services.proceeding_open(
                actor=police,
                kind=ProceedingKind.CRIMINAL,
                offence_codes=codes,
                holding_agency=agencies["police-ha-noi"],
                holding_role=HoldingRole.INVESTIGATION,
                reported_at=reported,
                summary="Dữ liệu minh họa: vụ việc giả định, không phải người thật.",
            )
            event_on = (reported - datetime.timedelta(days=10)).date()
            holder = police
            _parties(proceeding, police, agencies["police-ha-noi"], event_on, index, cases)
            day = reported.date()
            steps = PATH[: PATH.index(StepKind(final)) + 1] if final else []
            for step in steps:
                day = min(day + datetime.timedelta(days=12), timezone.localdate())
                proceeding.refresh_from_db()
                if step == StepKind.FIRST_INSTANCE_TRIAL and step == final:
                    services.step_record(
                        actor=holder,
                        proceeding=proceeding,
                        expected_version=proceeding.version,
                        kind=step,
                        scheduled_for=now + datetime.timedelta(days=3, hours=index % 5),
                    )
                    continue
                services.step_record(
                    actor=holder,
                    proceeding=proceeding,
                    expected_version=proceeding.version,
                    kind=step,
                    occurred_on=day,
                )
                if step in HAND_OVER_AFTER:
                    code, role = HAND_OVER_AFTER[step]
                    proceeding.refresh_from_db()
                    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
                    services.proceeding_hand_over(
                        actor=holder,
                        proceeding=proceeding,
                        expected_version=proceeding.version,
                        to_agency=agencies[code],
                        to_role=role,
                        at=max(at, proceeding.reported_at),
                    )
                    holder = officers[code]
                    proceeding.refresh_from_db()
                    if holder != police:
                        services.officer_assign(actor=police, proceeding=proceeding, officer=holder)
            if extra:
                proceeding.refresh_from_db()
                services.step_record(
                    actor=holder,
                    proceeding=proceeding,
                    expected_version=proceeding.version,
                    kind=extra,
                    occurred_on=min(day + datetime.timedelta(days=5), timezone.localdate()),
                )
            count += 1
        out.write(f"Justice: {count} proceedings at every step, with child and adult parties\n")


def _parties(
    proceeding: Proceeding,
    officer: User,
    agency: Agency,
    event_on: datetime.date,
    index: int,
    cases: list[Case],
) -> None:
    case = cases[index] if index < len(cases) else None
    if case is not None:
        services.party_add(
            actor=officer,
            proceeding=proceeding,
            person=case.person,
            role=PartyRole.VICTIM,
            event_on=event_on,
            protection_case=case,
        )
    else:
        name, sex, age = PARTY_NAMES[index % 2]
        victim = _person(officer, agency, name, sex, age, event_on)
        if victim is not None:
            services.party_add(
                actor=officer, proceeding=proceeding, person=victim, role=PartyRole.VICTIM, event_on=event_on
            )
    witness_name, sex, age = PARTY_NAMES[(index + 1) % 2]
    witness_name = f"{witness_name.rsplit(' ', 1)[0]} {WITNESS_GIVEN[index % len(WITNESS_GIVEN)]}"
    witness = _person(officer, agency, witness_name, sex, age, event_on)
    if witness is not None:
        services.party_add(
            actor=officer, proceeding=proceeding, person=witness, role=PartyRole.WITNESS, event_on=event_on
        )
    accused_name, sex, age = PARTY_NAMES[2 + index % 3]
    accused = _person(officer, agency, accused_name, sex, age, event_on)
    if accused is not None:
        services.party_add(
            actor=officer, proceeding=proceeding, person=accused, role=PartyRole.ACCUSED, event_on=event_on
        )
