"""How a pair is shown: the two records side by side (names masked as the registry masks them)
and the engine's evidence, field by field, in words a reviewer reads."""

from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from shield.core.access import AccessSubject
from shield.linkage.models import Decision, PersonMerge, ReviewPair
from shield.people import selectors as people_selectors
from shield.people.evidence import strength_of
from shield.people.models import IdentityDocument, Person
from shield.people.views import describe_birth

FIELD_LABELS: dict[str, Promise] = {
    "family": _("Family name"),
    "given": _("Given name"),
    "middle": _("Middle name"),
    "birth": _("Date of birth"),
    "id_number": _("Identity number"),
    "sex": _("Sex"),
    "province": _("Home province"),
}
# The engine's level labels (`shield.linkage.engine.model`, the reference model, Splink's own for
# the sex comparison) in words a reviewer reads, in their language. A test fails when the engine
# has a level this does not name.
LEVEL_LABELS: dict[str, Promise] = {
    "missing on one side": _("missing on one side"),
    "same family name (variants as one)": _("same family name (regional variants as one)"),
    "same names in another order": _("same names in another order"),
    "family name close": _("family name nearly the same"),
    "family name close to the other's given name": _("family name nearly the other's given name"),
    "family name differs": _("family name differs"),
    "same given name, accents included": _("same given name, accents included"),
    "same given name without accents": _("same given name without accents"),
    "given name one typo": _("given name one letter off"),
    "given name close": _("given name nearly the same"),
    "names close in another order": _("names nearly the same, in another order"),
    "given name differs": _("given name differs"),
    "same middle name": _("same middle name"),
    "one middle name contains the other": _("one middle name contains the other"),
    "middle name differs": _("middle name differs"),
    "same birth date": _("same date of birth"),
    "same year, one of day and month differs": _("same year, day or month differs"),
    "same year and month, one date without the day": _("same year and month, one date without the day"),
    "same year, one date partial": _("same year, one date incomplete"),
    "same day and month, year typo": _("same day and month, year mistyped"),
    "within a year, one date partial": _("within a year, one date incomplete"),
    "within two years, one date partial": _("within two years, one date incomplete"),
    "three years apart, one date partial": _("three years apart, one date incomplete"),
    "birth dates differ": _("dates of birth differ"),
    "same identity number, fits both records": _("same identity number, fits both records"),
    "same identity number, contradicts a record": _("same identity number, contradicts a record"),
    "identity number one typo": _("identity number one digit off"),
    "different kinds of document": _("different kinds of document"),
    "different identity numbers": _("different identity numbers"),
    "Exact match on sex": _("same sex"),
    "All other comparisons": _("sex differs"),
    "same former province": _("same former province"),
    "same province today, different former provinces": _("same province today, different former provinces"),
    "same province": _("same province"),
    "province differs": _("province differs"),
}


@dataclass(frozen=True)
class Side:
    person: Person
    name: str
    name_hidden: bool
    birth: str
    birth_note: str
    documents: list[IdentityDocument]
    individual: str


@dataclass(frozen=True)
class EvidenceRow:
    field: str
    label: str
    level: str
    weight: float
    strength: str  # strong-for, some-for, neutral, against
    strength_label: str
    bar: int  # 0 to 100, for the width of a bar


def side(user: AccessSubject, person: Person, individual: str = "") -> Side:
    name = people_selectors.display_name_for(user=user, person=person)
    birth, note = describe_birth(person)
    documents = list(people_selectors.document_list(person=person))
    return Side(
        person=person,
        name=name,
        name_hidden=name != person.full_name,
        birth=birth,
        birth_note=note,
        documents=documents,
        individual=individual,
    )


def evidence_rows(pair: ReviewPair) -> list[EvidenceRow]:
    rows = []
    for item in pair.evidence or []:
        weight = float(item.get("weight", 0.0))
        strength = strength_of(weight)
        field = str(item.get("field", ""))
        rows.append(
            EvidenceRow(
                field=field,
                label=str(FIELD_LABELS.get(field, field)),
                level=str(LEVEL_LABELS.get(level := str(item.get("level", "")), level)),
                weight=weight,
                strength=strength.key,
                strength_label=strength.label,
                bar=min(100, round(abs(weight) / 8 * 100)),
            )
        )
    return rows


def pair_row(user: AccessSubject, pair: ReviewPair) -> dict[str, Any]:
    """A pair in the queue: both names as this user may see them."""
    return {
        "pair": pair,
        "left": people_selectors.display_name_for(user=user, person=pair.person_low),
        "right": people_selectors.display_name_for(user=user, person=pair.person_high),
        "percent": round(pair.match_probability * 100),
    }


def _when(moment: Any) -> str:
    return dateformat.format(timezone.localtime(moment), "d/m/Y H:i")


def merge_summary(merge: PersonMerge) -> str:
    """One merge in a sentence: who merged, when, what moved (in words when nothing did), and who
    undid it only when someone did."""
    moved = len(merge.moved or [])
    who, when = str(merge.merged_by), _when(merge.created_at)
    if moved:
        text = ngettext(
            "Merged by %(who)s on %(when)s; %(count)d linked record moved to the record kept.",
            "Merged by %(who)s on %(when)s; %(count)d linked records moved to the record kept.",
            moved,
        ) % {"who": who, "when": when, "count": moved}
    else:
        text = gettext("Merged by %(who)s on %(when)s; no linked records needed moving.") % {
            "who": who,
            "when": when,
        }
    if merge.unmerged_at is not None:
        text += " " + gettext("Undone by %(who)s on %(when)s: both records are as they were.") % {
            "who": str(merge.unmerged_by),
            "when": _when(merge.unmerged_at),
        }
    return text


def decision_message(decision: str) -> str:
    """The confirmation a reviewer reads after deciding a pair."""
    if decision == Decision.SAME:
        return gettext("Saved: the same person. The pair has left the queue; the records can now be merged.")
    return gettext("Saved: different people. The pair has left the queue and later runs keep them apart.")
