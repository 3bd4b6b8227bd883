"""`manage.py demo_data --persons N`: realistic synthetic people, fast, repeatable."""

import contextlib
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from shield.accounts.models import User
from shield.audit.models import AuditEvent
from shield.people import selectors
from shield.people.models import IdentityDocument, Person, PersonNameToken

pytestmark = pytest.mark.django_db


def _run(settings, **options) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out, stderr=io.StringIO(), up_to="people", **options)
    return out.getvalue()


def test_demo_people_follow_the_vietnamese_name_distribution(settings):
    output = _run(settings, persons=500)
    assert "500 synthetic persons" in output
    persons = Person.objects.all()
    assert persons.count() == 500
    families = Counter(persons.values_list("family_name", flat=True))
    assert 0.30 <= families["Nguyễn"] / 500 <= 0.45
    assert families["Trần"] > families["Phạm"] > 0
    minority = persons.filter(ethnicity__in=["03", "08", "09"]).count()
    assert 15 <= minority <= 100  # about one in ten
    assert persons.filter(family_name__in=["Sùng", "Giàng", "Vàng", "Thào", "Mùa", "Lầu"]).exists()
    precisions = set(persons.values_list("birth_date_precision", flat=True))
    assert precisions == {"day", "month", "year", "estimated_age", "unknown"}
    children = sum(1 for p in persons if p.is_child())
    assert 75 <= children <= 250
    assert persons.filter(home_commune__isnull=False).count() > 300
    assert all(
        p.home_province_id == p.home_commune.province_id for p in persons.filter(home_commune__isnull=False)
    )
    owners = set(persons.values_list("owner_agency__code", flat=True))
    assert {"spc-ha-noi", "spc-an-giang", "bg-lao-cai", "police-ha-noi"} <= owners


def test_demo_people_carry_mostly_consistent_papers_and_can_be_searched(settings):
    _run(settings, persons=500)
    cards = IdentityDocument.objects.filter(kind="cccd")
    assert cards.count() > 150
    contradicting = [c for c in cards if c.warnings]
    assert 0 < len(contradicting) < cards.count() * 0.15
    # Every person is indexed by each word of their name.
    assert not Person.objects.exclude(pk__in=PersonNameToken.objects.values("person_id")).exists()
    supervisor = User.objects.get(username="sup.hanoi")  # province scope: Hà Nội's agencies
    hanoi_person = Person.objects.filter(owner_agency__province__codename="ha_noi").first()
    assert hanoi_person in selectors.person_list_for(user=supervisor, q=hanoi_person.full_name.upper())
    card = cards.filter(person__owner_agency__province__codename="ha_noi").first()
    assert list(selectors.person_list_for(user=supervisor, q=card.number)) == [card.person]


def test_demo_import_is_one_audit_event(settings):
    before = AuditEvent.objects.filter(action="import").count()
    _run(settings, persons=300)
    events = AuditEvent.objects.filter(action="import", object_type="people.person")
    assert events.count() == before + 1
    assert "300" in events.get().reason
    assert not AuditEvent.objects.filter(object_type="people.person", action="create").exists()


def test_running_again_adds_more_people_without_failing(settings):
    _run(settings, persons=120)
    _run(settings, persons=80)
    assert Person.objects.count() == 200


class _Rollback(Exception):
    pass


def _people_of_a_run(settings, seed):
    """The people one run adds to the current database, which is then left as it was."""
    people = []
    with contextlib.suppress(_Rollback), transaction.atomic():
        _run(settings, persons=60, persons_seed=seed)
        people = sorted(
            map(str, Person.objects.values_list("full_name", "birth_date", "sex", "owner_agency__code"))
        )
        raise _Rollback
    return people


def test_the_same_seed_gives_the_same_people(settings):
    first = _people_of_a_run(settings, 7)
    assert len(first) == 60
    assert _people_of_a_run(settings, 7) == first
    assert _people_of_a_run(settings, 8) != first
