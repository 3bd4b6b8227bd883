"""The overdue sweep notifies once per action; emails go only to users who opted in, carry no name."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.cases import services as case_services
from shield.cases.models import CarePlanAction
from shield.cases.services.notices import actions_overdue_notify
from shield.cases.tests import factories as f
from shield.notifications import services
from shield.notifications.models import Kind, Notification, NotificationSettings

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _overdue(team, *, days_late=2, responsible=None):
    case = f.open_case(actor=team.worker)
    case_services.case_assign(
        actor=team.supervisor, case=case, worker=team.worker, expected_version=case.version
    )
    case.refresh_from_db()
    plan = f.approved_plan(case, due_on=TODAY() - datetime.timedelta(days=days_late), responsible=responsible)
    return case, CarePlanAction.objects.get(goal__plan=plan)


def test_the_overdue_sweep_notifies_the_responsible_person_once_per_action():
    team = f.team()
    helper = member(Role.CASE_WORKER, agency=team.agency)
    case, late = _overdue(team, responsible=helper)
    _case2, mine = _overdue(team)
    assert actions_overdue_notify() == 2
    assert actions_overdue_notify() == 0  # the next day's sweep: nothing new
    found = Notification.objects.filter(kind=Kind.ACTION_OVERDUE)
    assert found.count() == 2
    to_helper = found.get(recipient=helper)
    assert (to_helper.target_id, to_helper.params["reference"]) == (str(late.pk), case.reference)
    assert found.get(recipient=team.worker).target_id == str(mine.pk)
    assert "Find a shelter place" not in str(to_helper.params)


def test_actions_not_yet_due_done_or_in_closed_cases_are_not_swept():
    team = f.team()
    _overdue(team, days_late=-1)  # due tomorrow
    _case, done = _overdue(team)
    CarePlanAction.objects.filter(pk=done.pk).update(status="done", done_on=TODAY())
    closed, _action = _overdue(team)
    f.put_at(closed, "closed", prerequisites=False)
    assert actions_overdue_notify() == 0


def test_the_database_refuses_a_second_overdue_notification_for_the_same_action():
    team = f.team()
    _case, late = _overdue(team)
    args = {
        "kind": Kind.ACTION_OVERDUE,
        "recipients": [team.worker],
        "target": late,
        "url": "/cases/",
        "params": {"reference": "X"},
    }
    assert len(services.notify(**args)) == 1
    assert services.notify(**args) == []
    assert Notification.objects.count() == 1


def test_the_notify_overdue_command_reports_what_it_created():
    team = f.team()
    _overdue(team)
    out = io.StringIO()
    call_command("notify_overdue", stdout=out)
    assert "1 overdue-action notifications created." in out.getvalue()


def test_notify_refuses_personal_parameters_and_foreign_links():
    user = member(Role.CASE_WORKER)
    with pytest.raises(ValueError, match="not allowed"):
        services.notify(kind=Kind.TIP_ASSIGNED, recipients=[user], url="/x/", params={"name": "Hoa"})
    with pytest.raises(ValueError, match="local path"):
        services.notify(kind=Kind.TIP_ASSIGNED, recipients=[user], url="https://evil.example/", params={})
    with pytest.raises(ValueError, match="local path"):
        services.notify(kind=Kind.TIP_ASSIGNED, recipients=[user], url="//evil.example/", params={})
    assert not Notification.objects.exists()


def test_inactive_users_are_not_notified():
    gone = member(Role.CASE_WORKER, is_active=False)
    assert services.notify(kind=Kind.TIP_ASSIGNED, recipients=[gone], url="/", params={}) == []


def test_email_goes_only_to_users_who_opted_in_after_the_commit_and_carries_no_name(
    django_capture_on_commit_callbacks,
):
    sender, receiver = f.team(), f.team()
    receiver.worker.email = "thao@example.org"
    receiver.worker.save(update_fields=["email"])
    receiver.supervisor.email = "lan@example.org"
    receiver.supervisor.save(update_fields=["email"])
    services.notification_settings_set(actor=receiver.worker, email=True)
    case = f.open_case(actor=sender.worker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(
            kind=Kind.TRANSFER_REQUESTED,
            agency=receiver.agency,
            permission="cases.edit",
            url=f"/cases/{case.pk}/",
            params={"reference": case.reference, "agency": sender.agency.code},
            actor=sender.worker,
        )
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["thao@example.org"]
    assert case.reference in sent.body
    assert f"http://localhost:8000/cases/{case.pk}/" in sent.body
    assert case.person.full_name not in sent.body + sent.subject


def test_settings_change_is_audited_and_default_is_no_email():
    from shield.audit.models import AuditEvent

    user = member(Role.CASE_WORKER)
    assert not NotificationSettings.objects.filter(user=user, email=True).exists()
    services.notification_settings_set(actor=user, email=True)
    assert NotificationSettings.objects.get(user=user).email is True
    assert AuditEvent.objects.filter(object_type="notifications.notificationsettings").count() == 1
