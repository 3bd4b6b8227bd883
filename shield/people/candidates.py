"""“Possibly the same person”: registered persons resembling a person or a registration, with
what resembles, from a few index lookups rather than the linkage engine.

The engine (`shield.linkage.engine`) weighs every field of every plausible pair and takes
seconds; a page needs an answer in milliseconds. So candidates come from two index reads:

- the search key of the family and given name together (`hoa nguyen`: order-free, accents
  folded, Hoàng/Huỳnh and Vũ/Võ as one; see `shield.people.search`) with the year of birth
  within one year, checked inside the key index (at most `NAME_CAP` rows; past that, narrowed
  to the same home province);
- the exact normalised number of any of the person's active identity documents.

The few hundred persons found are then scored in Python on the fields the engine compares (name
parts, date of birth, sex, province, document), strongest first. Nguyễn Thị Hoa born in 1995 is
a common name: the cap keeps the read bounded, and the province and document decide the order.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shield.core.access import AccessSubject
from shield.people import notices, search
from shield.people.evidence import Strength, strength_of
from shield.people.models import (
    BirthDatePrecision,
    DocumentStatus,
    IdentityDocument,
    Person,
    PersonNameToken,
    Sex,
)
from shield.people.names import MIDDLE_MARKERS, fold_name, parse_name
from shield.people.selectors import _adults_only_unless_allowed, _scope

NAME_CAP = 200
DOCUMENT_CAP = 50
SHOWN = 10


@dataclass(frozen=True)
class Evidence:
    """One field that resembles (or contradicts), and by how much: `weight` adds to the score and
    is read in bits, on the same scale of words as the linkage review (`shield.people.evidence`)."""

    field: str
    text: str
    weight: float

    @property
    def strength(self) -> Strength:
        return strength_of(self.weight)


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Probe:
    """What is known of the person being compared."""

    family: str
    middle: str
    given: str
    birth_year: int | None
    birth_date: datetime.date | None
    exact_date: bool
    sex: str
    province_id: uuid.UUID | None
    numbers: frozenset[str]
    exclude: uuid.UUID | None = None


def _key(word: str) -> str:
    return search.word_key(fold_name(word)) if word and fold_name(word) else ""


def _middle(middle: str) -> str:
    words = [w for w in fold_name(middle).split() if w not in MIDDLE_MARKERS]
    return " ".join(words)


def probe_for_person(person: Person) -> Probe:
    numbers = IdentityDocument.objects.filter(
        person=person, is_active=True, status=DocumentStatus.CURRENT
    ).values_list("number_normalized", flat=True)
    return Probe(
        family=person.family_name,
        middle=person.middle_name,
        given=person.given_name,
        birth_year=person.birth_year,
        birth_date=person.birth_date,
        exact_date=person.birth_date_precision == BirthDatePrecision.DAY,
        sex=person.sex,
        province_id=person.home_province_id,
        numbers=frozenset(numbers),
        exclude=person.pk,
    )


def probe_for_values(values: dict[str, object], *, birth_year: int | None) -> Probe:
    """From the cleaned values of a registration form (not saved yet)."""
    parsed = parse_name(str(values.get("full_name") or ""))
    province = values.get("home_province")
    birth_date = values.get("birth_date")
    return Probe(
        family=str(values.get("family_name") or parsed.family),
        middle=str(values.get("middle_name") or parsed.middle),
        given=str(values.get("given_name") or parsed.given),
        birth_year=birth_year,
        birth_date=birth_date if isinstance(birth_date, datetime.date) else None,
        exact_date=values.get("birth_date_precision") == BirthDatePrecision.DAY,
        sex=str(values.get("sex") or Sex.UNKNOWN),
        province_id=getattr(province, "pk", None),
        numbers=frozenset(),
    )


def _name_driver(probe: Probe) -> str:
    family, given = _key(probe.family), _key(probe.given)
    if family and given and family != given:
        return search.pair_key(family, given)
    return given or family


def _name_hits(user: AccessSubject, probe: Probe) -> list[uuid.UUID]:
    driver = _name_driver(probe)
    if not driver:
        return []
    rows = PersonNameToken.objects.filter(token=driver)
    if probe.birth_year is not None:
        rows = rows.filter(birth_year__gte=probe.birth_year - 1, birth_year__lte=probe.birth_year + 1)
    rows = rows.filter(_adults_only_unless_allowed(user, path="person__"))
    found = list(rows.values_list("person_id", flat=True)[: NAME_CAP + 1])
    if len(found) > NAME_CAP and probe.province_id is not None:
        # A very common name: the same province says more than the first rows in name order.
        found = list(
            rows.filter(person__home_province_id=probe.province_id).values_list("person_id", flat=True)[
                :NAME_CAP
            ]
        )
    return found[:NAME_CAP]


def _document_hits(probe: Probe) -> list[uuid.UUID]:
    if not probe.numbers:
        return []
    rows = IdentityDocument.objects.filter(
        number_normalized__in=probe.numbers, is_active=True, status=DocumentStatus.CURRENT
    )
    return list(rows.values_list("person_id", flat=True)[:DOCUMENT_CAP])


def _score(probe: Probe, person: Person, numbers: set[str]) -> tuple[float, tuple[Evidence, ...]]:
    evidence: list[Evidence] = []
    if probe.numbers & numbers:
        evidence.append(Evidence("id_number", str(_("same identity document number")), 10))
    same_family = _key(probe.family) == _key(person.family_name) != ""
    same_given = _key(probe.given) == _key(person.given_name) != ""
    if same_family and same_given:
        evidence.append(Evidence("name", str(_("same family and given name")), 3))
    elif same_given or same_family:
        evidence.append(Evidence("name", str(_("part of the name is the same")), 1))
    mine, theirs = _middle(probe.middle), _middle(person.middle_name)
    if mine and theirs:
        if mine == theirs:
            evidence.append(Evidence("middle", str(_("same middle name")), 1))
        else:
            evidence.append(Evidence("middle", str(_("different middle name")), -1))
    exact = person.birth_date_precision == BirthDatePrecision.DAY
    if probe.exact_date and exact and probe.birth_date == person.birth_date:
        evidence.append(Evidence("birth", str(_("same date of birth")), 4))
    elif probe.birth_year is not None and person.birth_year is not None:
        gap = abs(probe.birth_year - person.birth_year)
        if gap == 0:
            evidence.append(Evidence("birth", str(_("same year of birth")), 2))
        elif gap == 1:
            evidence.append(Evidence("birth", str(_("born a year apart")), 1))
        else:
            evidence.append(Evidence("birth", str(_("born years apart")), -3))
    known = {Sex.FEMALE, Sex.MALE}
    if probe.sex in known and person.sex in known and probe.sex != person.sex:
        evidence.append(Evidence("sex", str(_("different sex")), -4))
    if probe.province_id is not None and str(probe.province_id) == str(person.home_province_id):
        evidence.append(Evidence("province", str(_("same home province")), 1.5))
    return sum(item.weight for item in evidence), tuple(evidence)


def _persons(user: AccessSubject, ids: Iterable[uuid.UUID]) -> QuerySet[Person]:
    return Person.objects.filter(_scope(user), pk__in=list(ids)).select_related(
        "home_province", "owner_agency"
    )


def candidates_for(*, user: AccessSubject, probe: Probe, limit: int = SHOWN) -> list[Candidate]:
    """The persons in the user's reach most like `probe`, strongest first (at most `limit`)."""
    ids = set(_name_hits(user, probe)) | set(_document_hits(probe))
    ids.discard(probe.exclude)  # type: ignore[arg-type]
    if not ids:
        return []
    persons = list(_persons(user, ids))
    # A record merged into another is that other record now, which is found on its own.
    superseded = notices.superseded_ids(user, persons)
    persons = [person for person in persons if person.pk not in superseded]
    numbers: dict[uuid.UUID, set[str]] = {}
    if probe.numbers:
        rows = IdentityDocument.objects.filter(
            person_id__in=[p.pk for p in persons],
            is_active=True,
            status=DocumentStatus.CURRENT,
            number_normalized__in=probe.numbers,
        ).values_list("person_id", "number_normalized")
        for person_id, number in rows:
            numbers.setdefault(person_id, set()).add(number)
    scored = []
    for person in persons:
        score, evidence = _score(probe, person, numbers.get(person.pk, set()))
        if score > 0:
            scored.append(Candidate(person=person, score=score, evidence=evidence))
    scored.sort(key=lambda c: (-c.score, c.person.name_folded, str(c.person.pk)))
    return scored[:limit]


def candidates_for_person(*, user: AccessSubject, person: Person, limit: int = SHOWN) -> list[Candidate]:
    return candidates_for(user=user, probe=probe_for_person(person), limit=limit)
