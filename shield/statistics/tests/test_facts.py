"""Freshness: the case facts follow what is recorded, incrementally, within the refresh interval."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from shield.accounts.models import User
from shield.cases.models import IdentificationStatus, TraffickingDetails
from shield.people import birth_dates
from shield.people.models import Person
from shield.statistics.facts import CASES, age_on, facts_refresh
from shield.statistics.models import CaseFact, FactRefresh
from shield.statistics.selectors import table_for
from shield.statistics.tests import factories as f

pytestmark = pytest.mark.django_db


def _detected(user: User) -> int:
    return table_for(
        user=user, indicator="victims_detected", period=str(timezone.localdate().year)
    ).total.value


def test_a_victim_identified_now_counts_once_the_interval_has_passed(settings: Settings) -> None:
    settings.SHIELD_STATISTICS_REFRESH_SECONDS = 300  # the promise: within 5 minutes
    user = f.statistician()
    hanoi = f.agency()
    f.victim(at=hanoi, decided_on=timezone.localdate())
    assert _detected(user) == 1  # the first read derives every case

    f.victim(at=hanoi, decided_on=timezone.localdate())
    assert _detected(user) == 1  # read again within the interval: not refreshed yet

    FactRefresh.objects.filter(name=CASES).update(through=timezone.now() - datetime.timedelta(seconds=301))
    assert _detected(user) == 2


def test_a_refresh_rewrites_only_what_changed_and_follows_later_decisions() -> None:
    hanoi = f.agency()
    first = f.victim(at=hanoi, decided_on=datetime.date(2025, 3, 1), status=IdentificationStatus.POSSIBLE)
    second = f.victim(at=hanoi, decided_on=datetime.date(2025, 3, 1))
    assert facts_refresh() == 2
    assert facts_refresh() == 2  # within the overlap window the same cases are looked at again

    FactRefresh.objects.filter(name=CASES).update(through=timezone.now() + datetime.timedelta(minutes=10))
    assert facts_refresh() == 0  # nothing changed since

    f.decide(first, IdentificationStatus.NOT_A_VICTIM, datetime.date(2025, 3, 9))
    TraffickingDetails.objects.create(
        case=second, forms_of_exploitation=["ForcedLabour"], updated_by=second.created_by
    )
    FactRefresh.objects.filter(name=CASES).update(through=timezone.now() - datetime.timedelta(seconds=1))
    assert facts_refresh() == 2

    assert CaseFact.objects.get(case=first).status == IdentificationStatus.NOT_A_VICTIM
    fact = CaseFact.objects.get(case=second)
    assert (fact.forced_labour, fact.sexual, fact.forms_unknown) == (True, False, False)
    assert fact.detected_on == fact.identified_on == datetime.date(2025, 3, 1)


def test_the_command_refreshes_every_case_with_full() -> None:
    f.victim(at=f.agency(), decided_on=datetime.date(2025, 3, 1))
    out = io.StringIO()
    call_command("statistics_refresh", "--full", stdout=out, verbosity=0)
    assert "facts of 1 cases refreshed" in out.getvalue()
    assert CaseFact.objects.count() == 1


def test_the_refresh_task_runs() -> None:
    from shield.statistics.tasks import facts_refresh_task

    f.victim(at=f.agency(), decided_on=datetime.date(2025, 3, 1))
    result = facts_refresh_task.enqueue(full=True)  # the test settings' immediate backend
    assert result.return_value == {"written": 1}


def test_a_person_edited_later_has_their_age_re_derived() -> None:
    case = f.victim(at=f.agency(), decided_on=datetime.date(2025, 3, 1), birth_date=datetime.date(1990, 1, 1))
    facts_refresh()
    assert CaseFact.objects.get(case=case).age_detected == 35
    Person.objects.filter(pk=case.person_id).update(
        birth_date=datetime.date(2010, 1, 1), updated_at=timezone.now()
    )
    facts_refresh()
    assert CaseFact.objects.get(case=case).age_detected == 15


def test_age_on_agrees_with_the_registry_rule_for_children() -> None:
    day = datetime.date(2024, 1, 1)
    for born in (datetime.date(2008, 2, 29), datetime.date(2007, 12, 31), datetime.date(2006, 6, 30)):
        for offset in range(0, 2 * 366 * 10, 7):
            on = day + datetime.timedelta(days=offset)
            age = age_on(born, on)
            assert age is not None
            assert (age < 18) == birth_dates.is_child(
                on=on, precision="day", birth_date=born, estimated_age=None, age_estimated_on=None
            ), (born, on)


def _after_the_last_refresh() -> None:
    """Move the last refresh's window past everything recorded so far (overlap included)."""
    FactRefresh.objects.filter(name=CASES).update(through=timezone.now() + datetime.timedelta(minutes=10))


def _next_refresh_sees_now() -> None:
    FactRefresh.objects.filter(name=CASES).update(through=timezone.now() - datetime.timedelta(seconds=1))


def test_the_facts_copy_the_person_and_follow_an_edit_of_sex_citizenship_or_province() -> None:
    case = f.victim(at=f.agency(), decided_on=datetime.date(2025, 3, 1), sex="female", home="ha_noi")
    facts_refresh()
    fact = CaseFact.objects.get(case=case)
    assert (fact.record, fact.unit) == (case.person_id, case.person_id)  # no run yet: their own
    assert (fact.sex, fact.citizenship, fact.province) == ("female", "VN", f.province("ha_noi").code)

    _after_the_last_refresh()
    assert facts_refresh() == 0
    Person.objects.filter(pk=case.person_id).update(
        sex="male", nationality="LA", home_province=f.province("lao_cai"), updated_at=timezone.now()
    )
    _next_refresh_sees_now()
    assert facts_refresh() == 1
    fact = CaseFact.objects.get(case=case)
    assert (fact.sex, fact.citizenship, fact.province) == ("male", "LA", f.province("lao_cai").code)


def test_the_facts_follow_a_linkage_run_or_a_reviewer_giving_a_person_another_individual() -> None:
    at = f.agency()
    first = f.victim(at=at, decided_on=datetime.date(2025, 3, 1))
    second = f.victim(at=at, decided_on=datetime.date(2025, 3, 1))
    user = f.statistician()
    assert table_for(user=user, indicator="victims_detected", period="2025").total.value == 2

    _after_the_last_refresh()
    individual = f.same_individual(first.person, second.person, by=f.run())  # a run: one individual
    _next_refresh_sees_now()
    table = table_for(user=user, indicator="victims_detected", period="2025")
    assert (table.total.value, table.total.records) == (1, 2)
    assert set(CaseFact.objects.values_list("unit", flat=True)) == {individual.pk}

    _after_the_last_refresh()
    other = f.same_individual(second.person)  # a reviewer (or the next run) splits them again
    _next_refresh_sees_now()
    table = table_for(user=user, indicator="victims_detected", period="2025")
    assert (table.total.value, table.total.records) == (2, 2)
    assert CaseFact.objects.get(case=second).unit == other.pk


def test_facts_written_before_the_person_columns_existed_are_all_refreshed_after_migrating() -> None:
    """The migration adding the person columns forgets the last refresh: the next one is full."""
    case = f.victim(at=f.agency(), decided_on=datetime.date(2025, 3, 1))
    facts_refresh()
    CaseFact.objects.update(record=None, unit=None)
    FactRefresh.objects.filter(name=CASES).delete()  # what the migration does
    assert facts_refresh() == 1
    assert CaseFact.objects.get(case=case).record == case.person_id
