"""Raising re-victimisation alerts: each source once, only after the return, only the same individual."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.linkage.models import Individual, PersonIndividual
from shield.notifications.models import Kind, Notification
from shield.people.tests.factories import person as new_person
from shield.returns.alerts import services
from shield.returns.models import MetAgainSource, RevictimisationAlert
from shield.returns.tests import alerts_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def test_a_screening_at_a_gate_raises_one_alert_to_the_owner_and_supervisor(
    w, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        screening = f.screened(w.gate, w.returnee)
    alert = RevictimisationAlert.objects.get()
    assert (alert.source, alert.source_id) == (MetAgainSource.SCREENING, str(screening.pk))
    assert alert.source_agency == w.gate.agency
    assert (alert.owner, alert.owner_agency, alert.plan, alert.return_record) == (
        w.worker,
        w.agency,
        w.plan,
        w.return_record,
    )
    notified = Notification.objects.filter(kind=Kind.RETURNEE_MET_AGAIN)
    assert {n.recipient for n in notified} == {w.worker, w.supervisor}
    params = notified.first().params
    assert params == {"source": "screening", "reference": w.return_record.reference}
    assert AuditEvent.objects.filter(action="create", object_id=str(alert.pk)).exists()
    # A second save of the same screening raises nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        screening.save()
    assert RevictimisationAlert.objects.count() == 1
    assert notified.count() == 2


def test_a_tip_naming_the_returnee_raises_one_alert(w, django_capture_on_commit_callbacks):
    triager = member(Role.CASE_WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        tip = f.tipped(triager, w.returnee)
    with django_capture_on_commit_callbacks(execute=True):
        tip.save()
    alert = RevictimisationAlert.objects.get()
    assert (alert.source, alert.source_id, alert.source_agency) == (
        MetAgainSource.TIP,
        str(tip.pk),
        triager.primary_agency,
    )


def test_a_new_registration_of_the_same_individual_raises_one_alert(w, django_capture_on_commit_callbacks):
    elsewhere = member(Role.CASE_WORKER)
    again = new_person(full_name="Lo Thi Mai", actor=elsewhere, owner_agency=elsewhere.primary_agency)
    assert not RevictimisationAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        individual = f.individual_of(w.returnee, again)
    with django_capture_on_commit_callbacks(execute=True):
        PersonIndividual.objects.get(person=again).save()
    alert = RevictimisationAlert.objects.get()
    assert (alert.source, alert.source_id, alert.individual) == (
        MetAgainSource.REGISTRATION,
        str(again.pk),
        individual,
    )
    assert alert.person == w.returnee


def test_a_screening_of_another_record_of_the_individual_counts(w, django_capture_on_commit_callbacks):
    # Registered before the return, so placing the two in one individual is no new registration.
    other_record = new_person(full_name="Lò Mai", owner_agency=w.gate.agency, actor=w.gate.officer)
    type(other_record).objects.filter(pk=other_record.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    with django_capture_on_commit_callbacks(execute=True):
        f.individual_of(w.returnee, other_record)
    assert not RevictimisationAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        screening = f.screened(w.gate, other_record)
    alert = RevictimisationAlert.objects.get()
    assert (alert.source_id, alert.person) == (str(screening.pk), w.returnee)


def test_meetings_before_or_on_the_day_of_the_return_do_not_count():
    w = f.world(with_plan=False)
    screening = f.screened(w.gate, w.returnee)
    before = services.meeting_of_screening(screening)
    assert before is not None
    on_the_day = datetime.datetime.combine(
        w.return_record.returned_on, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    for met_at in (on_the_day - datetime.timedelta(days=3), on_the_day):
        meeting = services.Meeting(**{**before.__dict__, "met_at": met_at})
        assert services.alert_detect(meeting=meeting) is None
    assert not RevictimisationAlert.objects.exists()
    assert services.alert_detect(meeting=before) is not None


def test_a_different_individual_raises_nothing(w, django_capture_on_commit_callbacks):
    stranger = new_person(full_name="Lò Thị Mai", owner_agency=w.gate.agency, actor=w.gate.officer)
    with django_capture_on_commit_callbacks(execute=True):
        f.individual_of(stranger)
        f.individual_of(w.returnee)
        f.screened(w.gate, stranger)
        f.tipped(member(Role.CASE_WORKER), stranger)
    assert not RevictimisationAlert.objects.exists()


def test_a_returnee_no_run_has_placed_is_their_own_individual(w, django_capture_on_commit_callbacks):
    assert not PersonIndividual.objects.filter(person=w.returnee).exists()
    with django_capture_on_commit_callbacks(execute=True):
        screening = f.screened(w.gate, w.returnee)
    alert = RevictimisationAlert.objects.get()
    assert alert.individual is None
    assert alert.person == w.returnee
    # Placed later (a run), the same screening is still one alert.
    with django_capture_on_commit_callbacks(execute=True):
        f.individual_of(w.returnee)
    assert services.alert_detect(meeting=services.meeting_of_screening(screening)) is None
    assert RevictimisationAlert.objects.count() == 1


def test_the_sweep_raises_what_bulk_linkage_bypassed_once(w):
    elsewhere = member(Role.CASE_WORKER)
    again = new_person(full_name="Lo Thi Mai", actor=elsewhere, owner_agency=elsewhere.primary_agency)
    individual = Individual.objects.create(number=777_001, code=Individual.code_for(777_001))
    PersonIndividual.objects.bulk_create(
        [
            PersonIndividual(person=w.returnee, individual=individual),
            PersonIndividual(person=again, individual=individual),
        ]
    )
    assert not RevictimisationAlert.objects.exists()
    call_command("detect_revictimisation", "--days", "1")
    alert = RevictimisationAlert.objects.get()
    assert (alert.source, alert.source_id) == (MetAgainSource.REGISTRATION, str(again.pk))
    call_command("detect_revictimisation", "--all")
    assert RevictimisationAlert.objects.count() == 1
