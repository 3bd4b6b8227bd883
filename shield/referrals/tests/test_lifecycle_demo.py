"""`manage.py demo_data`: referrals in every state, some overdue, made through the services."""

import io

import pytest
from django.core.management import call_command

from shield.referrals.lifecycle import selectors
from shield.referrals.models import Referral, ReferralStatus, ReferralStep

pytestmark = pytest.mark.django_db


def test_the_demo_has_referrals_in_every_state_and_some_overdue(settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out, stderr=io.StringIO(), persons=300, up_to="referrals")
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == set(ReferralStatus.values), out.getvalue()
    from django.utils import timezone

    assert Referral.objects.filter(selectors.overdue_q(timezone.now())).count() >= 2
    assert Referral.objects.filter(to_agency__isnull=True).exists()
    assert ReferralStep.objects.filter(on_behalf_of_provider=True).exists()
    again = io.StringIO()
    before = Referral.objects.count()
    call_command("demo_data", stdout=again, stderr=io.StringIO(), persons=0, up_to="referrals")
    assert Referral.objects.count() == before
