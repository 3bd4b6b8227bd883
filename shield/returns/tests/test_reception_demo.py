"""The reception demo: one completed group handover at Móng Cái, once however often it runs."""

import io

import pytest

from shield.intake.tests.factories import gate_post
from shield.referrals.models import SupportDelivery
from shield.returns.models import ReceptionEvent, ReceptionStatus
from shield.returns.reception import demo

pytestmark = pytest.mark.django_db


def test_the_demo_records_one_group_reception_at_mong_cai():
    gate_post("mong-cai", username="bg.mongcai")
    out = io.StringIO()
    demo.load(options={}, out=out)
    demo.load(options={}, out=out)
    event = ReceptionEvent.objects.get()
    assert event.status == ReceptionStatus.COMPLETED
    assert event.members.count() == len(demo.GROUP)
    assert "1 group reception" in out.getvalue()
    given = SupportDelivery.objects.filter(immediate=True)
    assert given.count() == len(demo.GROUP)
    assert {d.amount_vnd for d in given} == {120000}
