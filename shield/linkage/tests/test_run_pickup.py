"""A linkage run no worker picked up says so, with what to do; an administrator can cancel it so it no
longer blocks the next run (audited); a worker that starts later leaves a cancelled run alone."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import InvalidTransition
from shield.linkage import services
from shield.linkage.models import LinkageRun, RunStatus
from shield.linkage.tasks import linkage_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return member(Role.SYSTEM_ADMIN, agency=AgencyFactory.create(), scope="national", username="admin.x")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _stuck_run(minutes: int = 5) -> LinkageRun:
    run = services.run_create(actor=None)
    LinkageRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    run.refresh_from_db()
    return run


def test_a_run_waiting_over_a_minute_says_no_worker_picked_it_up(admin):
    run = _stuck_run()

    detail = _client(admin).get(reverse("linkage:run_detail", args=[run.pk])).content.decode()
    listing = _client(admin).get(reverse("linkage:run_list")).content.decode()

    assert 'data-testid="worker-missing"' in detail
    assert "db_worker" in detail
    assert "make demo" in detail
    assert 'data-testid="run-cancel"' in detail
    assert 'data-testid="run-not-picked-up"' in listing


def test_a_fresh_queued_run_does_not_warn():
    run = services.run_create(actor=None)

    assert not run.not_picked_up


def test_cancelling_a_stuck_run_is_audited_and_lets_a_new_run_start(admin):
    run = _stuck_run()

    response = _client(admin).post(reverse("linkage:run_cancel", args=[run.pk]))

    run.refresh_from_db()
    assert response.status_code == 302
    assert run.status == RunStatus.CANCELLED
    assert run.finished_at is not None
    event = AuditEvent.objects.get(object_id=str(run.pk), action=AuditAction.UPDATE, actor=admin)
    assert event.changed_fields == ["finished_at", "status"]
    assert services.run_create(actor=admin).status == RunStatus.QUEUED


def test_a_started_run_cannot_be_cancelled(admin):
    run = _stuck_run()
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)

    with pytest.raises(InvalidTransition):
        services.run_cancel(actor=admin, run=run)


def test_a_worker_starting_late_leaves_a_cancelled_run_alone(admin):
    run = _stuck_run()
    services.run_cancel(actor=admin, run=run)

    linkage_run.call(str(run.pk))

    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert run.started_at is None


def test_cancel_refused_without_the_permission_and_for_anonymous():
    run = _stuck_run()
    worker = member(Role.CASE_WORKER, agency=AgencyFactory.create())
    url = reverse("linkage:run_cancel", args=[run.pk])

    assert _client(worker).post(url).status_code == 403
    assert Client().post(url).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED


def test_cancel_is_post_only_and_404_for_an_unknown_run(admin):
    assert _client(admin).get(reverse("linkage:run_cancel", args=[_stuck_run().pk])).status_code == 405
    missing = reverse("linkage:run_cancel", args=["00000000-0000-0000-0000-000000000000"])
    assert _client(admin).post(missing).status_code == 404
