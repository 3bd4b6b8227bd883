"""The detected victims of a year, person record by person record, for the HTCDS export.

"Detected" exactly as the `victims_detected` indicator counts them (`statistics.facts`): a case
whose latest identification decision says identified or possible victim, dated by the first such
decision. Only what `htcds.PersonFacts` holds is read: no name, no
identity number, no free text. Only persons with an active consent to use in statistics are read
(record-level data leave Shield, unlike counts).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from shield.cases.models import Case, Consent, ConsentScope, TraffickingDetails
from shield.people.models import BirthDatePrecision, Person
from shield.statistics.facts import facts_ensure_fresh
from shield.statistics.models import CaseFact
from shield.statistics.shapes.htcds import PersonFacts

DETECTED = ("identified", "possible")
CHUNK = 2000


def _cases_detected_in(year: int) -> dict[object, tuple[str, datetime.date]]:
    """case id -> (latest status, first detected date) for cases first detected in `year`: read
    from the case facts the `victims_detected` indicator counts, so both use one definition."""
    facts_ensure_fresh()
    rows = CaseFact.objects.filter(status__in=DETECTED, detected_on__year=year).values_list(
        "case_id", "status", "detected_on"
    )
    return {case_id: (status, day) for case_id, status, day in rows.iterator(chunk_size=CHUNK) if day}


def facts_for(
    year: int, *, require_consent: bool = True, progress: Callable[[int, str], None] | None = None
) -> list[PersonFacts]:
    """The person records of `year`'s detected victims (with `require_consent`, only those whose
    person has an active consent to use in statistics)."""

    def step(percent: int, what: str) -> None:
        if progress is not None:
            progress(percent, what)

    step(5, "decisions")
    cases = _cases_detected_in(year)
    step(20, "cases")
    case_person: dict[Any, Any] = dict(Case.objects.filter(pk__in=list(cases)).values_list("pk", "person_id"))
    forms: dict[object, set[str]] = {}
    for detailed, values in TraffickingDetails.objects.filter(case_id__in=list(cases)).values_list(
        "case_id", "forms_of_exploitation"
    ):
        forms.setdefault(case_person[detailed], set()).update(v for v in values or [] if isinstance(v, str))
    step(35, "persons")
    today = datetime.date.today()
    consented = Consent.objects.filter(
        person=OuterRef("pk"), scope=ConsentScope.STATISTICS, given_on__lte=today
    ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
    chosen = Person.objects.filter(pk__in=set(case_person.values()))
    if require_consent:
        chosen = chosen.filter(Exists(consented))
    persons: dict[Any, tuple[Any, ...]] = {
        row[0]: row
        for row in chosen.values_list(
            "pk",
            "sex",
            "birth_date",
            "birth_date_precision",
            "nationality",
            "home_province__code",
            "linkage_individual__individual_id",
        ).iterator(chunk_size=CHUNK)
    }
    step(50, "individuals")
    facts = []
    for case_id, (status, day) in cases.items():
        person_id = case_person.get(case_id)
        person = persons.get(person_id) if person_id is not None else None
        if person is None:
            continue
        pk, sex, birth, precision, nationality, province, individual = person
        facts.append(
            PersonFacts(
                individual=str(individual or pk),
                sex=sex or "unknown",
                birth_date=birth if precision != BirthDatePrecision.UNKNOWN else None,
                citizenship=str(nationality or ""),
                province=province or "",
                identified_on=day,
                status=status,
                forms=frozenset(forms.get(pk, set())),
            )
        )
    return facts
