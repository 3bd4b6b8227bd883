"""The follow-up demo: two plans, one with scored follow-ups done, once however often it runs."""

import io

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.people.tests.factories import person as new_person
from shield.returns.followup import demo
from shield.returns.models import FollowUp, FollowUpStatus, ReintegrationPlan

pytestmark = pytest.mark.django_db


def test_the_demo_makes_two_plans_once():
    worker = member(Role.CASE_WORKER, username="cw.hanoi")
    for name in ("Vàng Thị Mỷ", "Lò Văn Sáng"):
        new_person(full_name=name, actor=worker, owner_agency=worker.primary_agency)
    out = io.StringIO()
    demo.load(options={}, out=out)
    demo.load(options={}, out=out)
    assert ReintegrationPlan.objects.count() == 2
    done = FollowUp.objects.filter(status=FollowUpStatus.DONE)
    assert done.count() == 2
    assert all(f.score_composite is not None for f in done)
    assert "2 reintegration plan(s)" in out.getvalue()
