"""Requests for real records outside the user's reach answer 404 as before and leave an audit event,
rate-limited per user and window so that enumeration shows without flooding the chain."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from shield.accounts.models import User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit import reach, record
from shield.audit.models import AuditAction, AuditEvent, OutOfReachWindow
from shield.cases.tests import factories as case_factories
from shield.people.models import Person
from shield.people.tests import factories as people_factories
from shield.people.tests.factories import audit_text

pytestmark = pytest.mark.django_db

PERSON = "people.person"


@pytest.fixture
def outsider() -> User:
    return member(Role.CASE_WORKER, agency=AgencyFactory.create(), username="outsider")


@pytest.fixture
def foreign_person() -> Person:
    return people_factories.person(full_name="Trần Văn Bình", owner_agency=AgencyFactory.create())


def _web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _out_of_reach(actor: User) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(action=AuditAction.OUT_OF_REACH, actor=actor).order_by("sequence")
    return [(e.object_type, e.object_id) for e in events]


def test_a_page_for_a_person_of_another_agency_answers_404_and_is_audited(outsider, foreign_person):
    response = _web(outsider).get(f"/people/{foreign_person.pk}/")

    assert response.status_code == 404
    assert _out_of_reach(outsider) == [(PERSON, str(foreign_person.pk))]
    assert "Bình" not in audit_text()
    assert "Binh" not in audit_text()


def test_the_api_for_a_case_of_another_agency_answers_404_and_is_audited(outsider):
    case = case_factories.open_case()

    response = _api(outsider).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 404
    assert _out_of_reach(outsider) == [("cases.case", str(case.pk))]


def test_the_api_by_token_names_the_token_user(outsider, foreign_person):
    from shield.accounts.token_services import api_token_issue

    client = APIClient()
    issued = api_token_issue(user=outsider, two_factor=False, ip="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")

    assert client.get(f"/api/v1/persons/{foreign_person.pk}/").status_code == 404
    assert _out_of_reach(outsider) == [(PERSON, str(foreign_person.pk))]


def test_a_missing_id_answers_404_and_is_not_recorded(outsider):
    response = _web(outsider).get(f"/people/{uuid.uuid4()}/")

    assert response.status_code == 404
    assert _out_of_reach(outsider) == []
    assert not OutOfReachWindow.objects.exists()


def test_a_record_in_reach_leaves_no_out_of_reach_event():
    worker = member(Role.CASE_WORKER, agency=AgencyFactory.create())
    own = people_factories.person(actor=worker)

    assert _web(worker).get(f"/people/{own.pk}/").status_code == 200
    assert _out_of_reach(worker) == []


def test_a_write_to_a_record_out_of_reach_is_audited_though_its_transaction_rolled_back(outsider):
    case = case_factories.open_case()

    response = _web(outsider).post(f"/cases/{case.pk}/risk/", {"risk_level": "high", "version": 1})

    assert response.status_code in (403, 404)
    assert ("cases.case", str(case.pk)) in _out_of_reach(outsider)


def test_the_same_record_asked_again_in_the_window_is_recorded_once(outsider, foreign_person):
    client = _web(outsider)
    for _ in range(3):
        assert client.get(f"/people/{foreign_person.pk}/").status_code == 404

    assert _out_of_reach(outsider) == [(PERSON, str(foreign_person.pk))]
    window = OutOfReachWindow.objects.get(actor=outsider)
    assert (window.requests, window.recorded) == (3, 1)


def test_enumeration_past_the_limit_is_counted_into_one_summary_per_window(settings, outsider):
    settings.SHIELD_AUDIT_REACH_LIMIT = 3
    owner = member(Role.CASE_WORKER, agency=AgencyFactory.create())
    persons = [people_factories.person(actor=owner, full_name=f"Lê Thị Mai {i}") for i in range(7)]
    client = _web(outsider)
    for p in persons:
        assert client.get(f"/people/{p.pk}/").status_code == 404

    assert _out_of_reach(outsider) == [(PERSON, str(p.pk)) for p in persons[:3]]
    assert not AuditEvent.objects.filter(action=AuditAction.OUT_OF_REACH_SUMMARY).exists()

    closed = reach.close_ended_windows(
        now=reach.window_start(datetime.datetime.now(datetime.UTC)) + datetime.timedelta(hours=2)
    )

    assert closed == 1
    summary = AuditEvent.objects.get(action=AuditAction.OUT_OF_REACH_SUMMARY)
    assert summary.actor == outsider
    assert (summary.details["requests"], summary.details["recorded"]) == (7, 3)
    assert not OutOfReachWindow.objects.exists()
    assert "Mai" not in audit_text()


def test_a_window_under_the_limit_closes_without_a_summary(outsider, foreign_person):
    assert _web(outsider).get(f"/people/{foreign_person.pk}/").status_code == 404

    reach.close_ended_windows(now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))

    assert not AuditEvent.objects.filter(action=AuditAction.OUT_OF_REACH_SUMMARY).exists()
    assert not OutOfReachWindow.objects.exists()


def test_the_next_request_in_a_later_window_summarises_the_ended_one(settings, outsider, frozen_now):
    settings.SHIELD_AUDIT_REACH_LIMIT = 1
    # Shorter than the idle timeout, so the session outlives the jump to the next window.
    settings.SHIELD_AUDIT_REACH_WINDOW_MINUTES = 10
    owner = member(Role.CASE_WORKER, agency=AgencyFactory.create())
    first, second, third = (people_factories.person(actor=owner) for _ in range(3))
    client = _web(outsider)
    start = reach.window_start(datetime.datetime.now(datetime.UTC))
    with frozen_now(start + datetime.timedelta(minutes=1)):
        client.get(f"/people/{first.pk}/")
        client.get(f"/people/{second.pk}/")
    with frozen_now(start + datetime.timedelta(minutes=11)):
        client.get(f"/people/{third.pk}/")

    summary = AuditEvent.objects.get(action=AuditAction.OUT_OF_REACH_SUMMARY)
    assert (summary.details["requests"], summary.details["recorded"]) == (2, 1)
    assert _out_of_reach(outsider) == [(PERSON, str(first.pk)), (PERSON, str(third.pk))]


def test_the_daily_anchor_writes_the_summaries_of_ended_windows(settings, tmp_path, outsider):
    settings.SHIELD_AUDIT_REACH_LIMIT = 0
    settings.SHIELD_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.SHIELD_AUDIT_ANCHOR_KEY = "anchor-key-for-tests"
    foreign = people_factories.person(owner_agency=AgencyFactory.create())
    _web(outsider).get(f"/people/{foreign.pk}/")
    OutOfReachWindow.objects.update(
        window_start=reach.window_start(datetime.datetime.now(datetime.UTC)) - datetime.timedelta(days=1)
    )

    call_command("audit_anchor", stdout=StringIO(), stderr=StringIO())

    assert AuditEvent.objects.filter(action=AuditAction.OUT_OF_REACH_SUMMARY, actor=outsider).exists()


def test_opening_a_case_for_a_person_reached_through_a_transferred_case_is_not_out_of_reach():
    """case_open overrides the registry's refusal by another rule; that refusal is withdrawn."""
    from shield.cases import services
    from shield.cases.models import CaseAccess
    from shield.core import request_context

    receiving = case_factories.team()
    case = case_factories.open_case()
    CaseAccess.objects.create(
        case=case, agency=receiving.agency, granted_by=case.created_by, granted_at=timezone.now(), reason="r"
    )
    token = request_context.activate(request_context.RequestContext("test", None))
    try:
        services.case_open(
            actor=receiving.worker,
            person=case.person,
            case_type=case.case_type,
            owner_agency=receiving.agency,
        )
        context = request_context.current()
        assert context is not None
        assert context.out_of_reach == []
    finally:
        request_context.deactivate(token)


def test_an_auditor_opening_an_event_of_another_agency_is_recorded():
    from shield.accounts.roles import Scope

    auditor = member(Role.AUDITOR, agency=AgencyFactory.create(), scope=Scope.AGENCY)
    elsewhere = member(Role.CASE_WORKER, agency=AgencyFactory.create())
    event = record(action=AuditAction.VIEW, actor=elsewhere, object_type="cases.case", object_id="x")

    assert _web(auditor).get(f"/audit/{event.pk}/").status_code == 404
    assert _out_of_reach(auditor) == [("audit.auditevent", str(event.pk))]
