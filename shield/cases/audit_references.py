"""References the audit log shows for cases, care plans and persons (see `shield.audit.references`).

A case is named by its reference number, which holds no personal data; a person by the name the
viewer may see: in full only if they reach the person and may see it (`display_name_for`), else
masked (initials and year of birth). Links only where the viewer may open the page.
"""

from collections.abc import Mapping, Sequence
from typing import cast

from django.urls import reverse
from django.utils.translation import gettext as _

from shield.accounts.models import User
from shield.audit import references
from shield.audit.references import Reference
from shield.cases import selectors
from shield.cases.models import CarePlan, Case
from shield.core.access import AccessSubject
from shield.people import selectors as people_selectors
from shield.people.models import Person


def _cases(user: AccessSubject, ids: Sequence[str]) -> Mapping[str, Reference]:
    wanted = references.uuids(ids)
    rows = Case.objects.filter(pk__in=wanted.values()).values_list("pk", "reference")
    visible = set(
        Case.objects.filter(selectors.visible_q(cast(User, user)), pk__in=wanted.values()).values_list(
            "pk", flat=True
        )
    )
    return {
        str(pk): Reference(reference, reverse("cases:case_detail", args=[pk]) if pk in visible else "")
        for pk, reference in rows
    }


def _care_plans(user: AccessSubject, ids: Sequence[str]) -> Mapping[str, Reference]:
    wanted = references.uuids(ids)
    rows = CarePlan.objects.filter(pk__in=wanted.values()).values_list("pk", "case_id", "case__reference")
    case_ids = {case_id for _pk, case_id, _ref in rows}
    visible = set(
        Case.objects.filter(selectors.visible_q(cast(User, user)), pk__in=case_ids).values_list(
            "pk", flat=True
        )
    )
    return {
        str(pk): Reference(
            _("Care plan of %(case)s") % {"case": reference},
            reverse("cases:case_detail", args=[case_id]) if case_id in visible else "",
        )
        for pk, case_id, reference in rows
    }


def _persons(user: AccessSubject, ids: Sequence[str]) -> Mapping[str, Reference]:
    wanted = references.uuids(ids)
    persons = list(Person.objects.filter(pk__in=wanted.values()).defer("contact"))
    reached = set(
        people_selectors.person_list_for(user=user)
        .filter(pk__in=wanted.values())
        .values_list("pk", flat=True)
    )
    found = {}
    for person in persons:
        if person.pk in reached:
            text = people_selectors.display_name_for(user=user, person=person)
            url = reverse("people:person_detail", args=[person.pk])
        else:
            text, url = people_selectors.masked_name(person), ""
        found[str(person.pk)] = Reference(text, url)
    return found


def register() -> None:
    references.register("cases.case", _cases)
    references.register("cases.careplan", _care_plans)
    references.register("people.person", _persons)
