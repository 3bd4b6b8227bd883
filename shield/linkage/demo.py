"""Demo data for linkage: a few persons recorded again by another agency, then a linkage run, so
the review queue of `sup.hanoi` has pairs and the registry has unique individuals.

The people demo makes distinct persons only (its common names already give the run some pairs
to ask about). With `--linkage-duplicates N`, N of them are registered a second time by a Hà Nội
agency, written the way another agency would (passport order, no diacritics, Thị
dropped; the birth date copied from the person's papers, or only a year three years off), through
the people services like any registration. The engine links only pairs that share a full birth
date or a number (issue 13), so the copies with the date are linked and the others are asked about. Opt-in,
because the other apps' demo checks count the persons the people demo makes. Synthetic, never
real people. `--no-linkage` skips it all (large benchmark databases).
"""

import random
from argparse import ArgumentParser
from typing import Any, TextIO

from shield.accounts.models import Agency, Membership
from shield.accounts.roles import AgencyKind
from shield.cases import services as case_services
from shield.cases.models import CaseType, IdentificationDecision, IdentificationStatus
from shield.linkage import services
from shield.linkage.engine import LinkageSettings
from shield.people import services as people_services
from shield.people.models import BirthDatePrecision, Person
from shield.people.names import fold_name

SECOND_AGENCIES = ("police-ha-noi", "wu-peaceful-house", "spc-ha-noi")
# Beyond this many persons the demo does not run the engine itself: `manage.py link_persons`.
MAX_PERSONS_FOR_DEMO_RUN = 50_000


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--no-linkage", action="store_true", help="Do not add near-duplicates or run linkage."
    )
    parser.add_argument(
        "--linkage-duplicates",
        type=int,
        default=0,
        help="Register this many Hà Nội persons a second time at another agency (try 12).",
    )


def _rewrite(person: Person, rng: random.Random) -> dict[str, Any]:
    """The same person as another agency writes them down."""
    style = rng.choice(["passport", "folded", "no_middle"])
    if style == "passport":
        name = " ".join(p for p in (person.given_name, person.middle_name, person.family_name) if p).upper()
    elif style == "folded":
        name = fold_name(person.full_name).title()
    else:
        name = " ".join(p for p in (person.family_name, person.given_name) if p)
    values: dict[str, Any] = {"full_name": name, "sex": person.sex, "home_province": person.home_province}
    if person.birth_date is not None and person.birth_date_precision != BirthDatePrecision.ESTIMATED_AGE:
        born = person.birth_date
        if rng.random() < 0.5:
            # A year told from memory, three years off: the run should ask a reviewer, not merge.
            born = born.replace(year=born.year - 3, month=1, day=1)
            values["full_name"] = " ".join(p for p in (person.family_name, person.given_name) if p)
            values.update(birth_date=born, birth_date_precision=BirthDatePrecision.YEAR)
        else:
            # Copied from the person's papers.
            values.update(birth_date=born, birth_date_precision=person.birth_date_precision)
    return values


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if options.get("no_linkage"):
        return
    _add_duplicates(int(options.get("linkage_duplicates") or 0), out)
    total = Person.objects.count()
    if not total:
        return
    if total > MAX_PERSONS_FOR_DEMO_RUN:
        out.write(f"Linkage: {total} persons; run `manage.py link_persons` to link them.\n")
        return
    run = services.run_create(actor=None)
    run = services.run_execute(run=run, settings=LinkageSettings(threads=2))
    out.write(
        f"Linkage: {run.person_count} persons → {run.individual_count} unique individuals, "
        f"{run.review_pair_count} pairs for review (sup.hanoi reviews them at /linkage/).\n"
    )
    if run.model_note:
        out.write(f"Linkage: {run.model_note}\n")


def _add_duplicates(count: int, out: TextIO) -> None:
    if count <= 0:
        return
    rng = random.Random(f"linkage:{Person.objects.count()}")  # noqa: S311 (synthetic data)
    registrars = {}
    for code in SECOND_AGENCIES:
        membership = (
            Membership.objects.filter(
                agency__code=code, is_active=True, role__in=["case_worker", "frontline_officer"]
            )
            .select_related("user", "agency")
            .first()
        )
        if membership is not None:
            registrars[code] = membership
    if not registrars:
        out.write("Linkage: no Hà Nội agency with a case worker; no near-duplicates added.\n")
        return
    agencies = Agency.objects.filter(code__in=list(registrars)).values_list("pk", flat=True)
    pool = list(
        Person.objects.filter(birth_date__isnull=False, birth_date__year__lt=2005)
        .exclude(family_name="")
        .exclude(owner_agency__in=list(agencies))
        .order_by("created_at")[:500]
    )
    # Half of the copies are of detected trafficking victims, whom the second agency identifies
    # too: the double count national statistics must not make (and, for the vaguer copies, the
    # pairs whose review decides a count's range).
    victims = set(
        IdentificationDecision.objects.filter(
            case__person__in=pool, status__in=[IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED]
        ).values_list("case__person_id", flat=True)
    )
    of_victims = [p for p in pool if p.pk in victims]
    chosen = rng.sample(of_victims, min(count // 2, len(of_victims)))
    rest = [p for p in pool if p.pk not in victims]
    chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
    added = identified = 0
    for person in chosen:
        membership = rng.choice(list(registrars.values()))
        copy = people_services.person_register(
            actor=membership.user, owner_agency=membership.agency, **_rewrite(person, rng)
        )
        added += 1
        if person.pk in victims and _identify_again(person, copy, membership):
            identified += 1
    out.write(
        f"\nLinkage: {added} persons recorded a second time by another agency "
        f"({identified} of them identified as victims there too).\n"
    )


def _identify_again(original: Person, copy: Person, membership: Membership) -> bool:
    """A case for `copy` at the second agency, identified as the original was (through the services)."""
    if not membership.user.has_perm("cases.edit"):
        return False
    first = (
        IdentificationDecision.objects.filter(
            case__person=original,
            status__in=[IdentificationStatus.POSSIBLE, IdentificationStatus.IDENTIFIED],
        )
        .order_by("decided_on")
        .first()
    )
    if first is None:
        return False
    case = case_services.case_open(
        actor=membership.user,
        person=copy,
        case_type=CaseType.UNDERGOING_IDENTIFICATION,
        owner_agency=membership.agency,
    )
    case_services.identification_decide(
        actor=membership.user,
        case=case,
        status=first.status,
        body_name="Công an thành phố Hà Nội",
        body_type=AgencyKind.POLICE_PROVINCIAL,
        decided_on=first.decided_on,
        basis="Xác minh lời khai (dữ liệu mô phỏng).",
    )
    return True
