"""Two admissions for the last bed at the same moment: one is admitted, the other refused (the
shelter's row is locked; on SQLite BEGIN IMMEDIATE serialises writers, on PostgreSQL FOR UPDATE)."""

import threading

import pytest
from django.db import connection

from shield.core.errors import ValidationFailed
from shield.referrals.models import ShelterStay
from shield.referrals.shelters import services
from shield.referrals.tests import care_factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_admissions_for_the_last_bed_do_not_both_succeed():
    w = f.world(beds={"women": 1})
    referrals = [f.referral(w.case, service=w.shelter), f.referral(f.another_case(w), service=w.shelter)]
    start = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def admit(index: int) -> None:
        try:
            start.wait()
            services.shelter_admit(actor=w.staff, referral=referrals[index], category="women")
            outcomes.append("admitted")
        except ValidationFailed as refused:
            outcomes.append("refused" if "override_reason" in refused.field_errors else repr(refused))
        except BaseException as exc:  # a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=admit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(outcomes) == ["admitted", "refused"]
    assert ShelterStay.objects.filter(service=w.shelter).count() == 1
    w.shelter.refresh_from_db()
    assert w.shelter.capacity_available == 0
