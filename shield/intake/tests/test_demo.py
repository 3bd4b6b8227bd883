"""The demo data loads screenings at the demo gates with varied outcomes, referrals and tips."""

import io

import pytest
from django.core.management import call_command

from shield.intake.models import ReferralNotice, Screening, Tip
from shield.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_year_of_screenings_and_tips(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", "--persons", "200", "--screenings", "60", "--up-to", "intake", stdout=out)
    outcomes = set(Screening.objects.values_list("outcome", flat=True))
    assert {"no_concern", "referred", "child_protection"} <= outcomes
    assert Screening.objects.values("border_gate").distinct().count() == 5
    assert ReferralNotice.objects.filter(urgent=True).exists()
    # Referrals link people of the people's demo: intake registers nobody of its own.
    assert Person.objects.count() == 200
    assert Tip.objects.filter(status="new").exists()
    assert "bg.mongcai" in out.getvalue()
    # Each referral links a demo person whose registered age agrees with the screening's.
    referred = Screening.objects.filter(person__isnull=False, traveller_age__isnull=False)
    assert referred.exists()
    for screening in referred:
        assert screening.person.is_child() is (screening.traveller_age < 18), screening.traveller_age
    assert Tip.objects.filter(case__isnull=False).exists()
