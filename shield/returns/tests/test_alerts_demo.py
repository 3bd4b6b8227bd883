"""The alerts demo: one returnee met again at Móng Cái, once however often it runs."""

import io

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.intake.tests.factories import gate_post
from shield.people.tests.factories import person as new_person
from shield.returns.alerts import demo
from shield.returns.models import MetAgainSource, RevictimisationAlert

pytestmark = pytest.mark.django_db


def test_the_demo_meets_one_returnee_again_at_a_gate():
    gate_post("mong-cai", username="bg.mongcai")
    worker = member(Role.CASE_WORKER, username="cw.hanoi")
    returnee = new_person(full_name="Vàng Thị Mỷ", actor=worker, owner_agency=worker.primary_agency)
    out = io.StringIO()
    demo.load(options={}, out=out)
    alert = RevictimisationAlert.objects.get()
    assert (alert.source, alert.person, alert.owner) == (MetAgainSource.SCREENING, returnee, worker)
    assert worker.notifications.count() == 1
    demo.load(options={}, out=out)
    assert RevictimisationAlert.objects.count() == 1
    assert "1 returnee met again" in out.getvalue()
