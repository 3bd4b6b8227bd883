"""Pages of returns, verification requests and receptions: the permission matrix over every URL,
filters and search, the step forms with their version checks, completing a reception, query counts."""

import datetime
import os
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.core.errors import StaleVersion
from shield.geo.models import BorderGate
from shield.intake.tests.factories import gate_post
from shield.people.models import Person
from shield.people.tests.factories import document
from shield.people.tests.factories import person as new_person
from shield.returns.alerts import services as alert_services
from shield.returns.models import (
    Disposition,
    ReceptionEvent,
    ReceptionMember,
    ReceptionStatus,
    Return,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)
from shield.returns.reception import services
from shield.returns.tests import alerts_factories as af

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(Return, VerificationRequest, ReceptionEvent, ReceptionMember)
NAME = "Vàng Thị Mỷ"
MEMBER = "Giàng Thị Sua"
AUTHORITY = "Dongxing Public Security"


@dataclass
class World:
    officer: User
    agency: Agency
    gate: BorderGate
    person: Person
    record: Return
    verification: VerificationRequest
    event: ReceptionEvent
    member: ReceptionMember


def _world(code: str = "mong-cai", *, name: str = NAME, member_name: str = MEMBER) -> World:
    post = gate_post(code)
    officer, agency = post.officer, post.agency
    gate = agency.border_gate
    assert gate is not None
    person = new_person(full_name=name, actor=officer, owner_agency=agency)
    record = services.return_record(
        actor=officer, person=person, country="CN", how="handed_over", channel="bilateral",
        returned_on=timezone.localdate(), border_gate=gate,
    )  # fmt: skip
    verification = services.verification_receive(
        actor=officer, record=record, foreign_authority=AUTHORITY, received_at=timezone.now()
    )
    event = services.reception_open(
        actor=officer, border_gate=gate, country="CN", channel="bilateral", received_at=timezone.now(),
        foreign_authority="Dongxing Border Station",
    )  # fmt: skip
    one = services.member_add(
        actor=officer, event=event, full_name=member_name, sex="female", birth_year=2000
    )
    return World(officer, agency, gate, person, record, verification, event, one)


@pytest.fixture
def w() -> World:
    return _world()


def _actors(w: World) -> Actors:
    far = _world("lao-cai", name="Lò Văn Páo", member_name="Sùng Thị Dính")
    return Actors(
        permitted=w.officer,
        no_permission=member(Role.JUSTICE_OFFICER, agency=w.agency),
        other_agency=far.officer,
    )


def _hand_on(w: World, m: ReceptionMember) -> ReceptionMember:
    m = services.member_screen(actor=w.officer, member=m, version=m.version, outcome="no_concern")
    return services.member_dispose(
        actor=w.officer, member=m, version=m.version, disposition=Disposition.FAMILY, handed_to="Mother"
    )


# --- The permission matrix ------------------------------------------------------------------------


def test_every_read_page_through_the_matrix(w: World) -> None:
    actors = _actors(w)
    scoped = [
        ("/returns/", [NAME, w.record.reference]),
        ("/returns/verifications/", [NAME, w.record.reference]),
        ("/returns/receptions/", [w.event.reference]),
    ]
    for url, secrets in scoped:
        assert_matrix(Endpoint("GET", url, scoped=True), actors, secrets=secrets, snapshot=snapshot)
    pages = [
        (f"/returns/{w.record.pk}/", [NAME, AUTHORITY]),
        (f"/returns/{w.member.return_record_id}/", [MEMBER, w.event.reference]),
        (f"/returns/new/?person={w.person.pk}", [NAME]),
        (f"/returns/{w.record.pk}/cancel/", [w.record.reference]),
        (f"/returns/verifications/{w.verification.pk}/", [NAME, AUTHORITY]),
        (f"/returns/receptions/{w.event.pk}/", [MEMBER, w.event.reference]),
    ]
    for url, secrets in pages:
        assert_matrix(Endpoint("GET", url), actors, secrets=secrets, snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", "/returns/receptions/new/", also_allowed={"other_agency"}), actors, snapshot=snapshot
    )
    other = services.return_record(
        actor=w.officer, person=w.person, country="KH", how="rescued", channel="consular"
    )
    assert_matrix(
        Endpoint("GET", f"/returns/{other.pk}/verification/new/"), actors, secrets=[NAME], snapshot=snapshot
    )
    # A detail read is audited; a list too.
    assert AuditEvent.objects.filter(action="view", object_id=str(w.record.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_id=str(w.verification.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_id=str(w.event.pk)).exists()
    assert AuditEvent.objects.filter(action="list", object_type="returns.return").exists()
    assert AuditEvent.objects.filter(action="list", object_type="returns.receptionevent").exists()


def test_every_write_through_the_matrix(w: World) -> None:
    actors = _actors(w)
    ok = {302}
    # A role that reads returns but may not verify: refused on the verification writes.
    reader = Actors(
        permitted=w.officer, no_permission=member(Role.CASE_WORKER, agency=w.agency), other_agency=None
    )
    other = services.return_record(
        actor=w.officer, person=w.person, country="KH", how="rescued", channel="consular"
    )
    receive = {
        "foreign_authority": "Phnom Penh Police",
        "received_at": timezone.now().strftime("%d/%m/%Y %H:%M"),
    }
    for who in (actors, reader):
        if who is reader:
            other = services.return_record(
                actor=w.officer, person=w.person, country="KH", how="rescued", channel="consular"
            )
        assert_matrix(
            Endpoint("POST", f"/returns/{other.pk}/verification/new/", data=receive, permitted_status=ok),
            who,
            snapshot=snapshot,
        )
    assert VerificationRequest.objects.filter(foreign_authority="Phnom Penh Police").count() == 2
    v = w.verification
    steps = [
        ("check", {}),
        ("decide", {"confirmed": "yes", "basis": "CCCD matches"}),
        ("answer", {"answer_reference": "CV-12/BP"}),
    ]
    reader_client = Client()
    reader_client.force_login(reader.no_permission)
    for step, data in steps:
        v.refresh_from_db()
        url, body = f"/returns/verifications/{v.pk}/{step}/", {**data, "version": v.version}
        before = snapshot()
        assert reader_client.post(url, body).status_code == 403  # reads returns, may not verify
        assert snapshot() == before
        assert_matrix(Endpoint("POST", url, data=body, permitted_status=ok), actors, snapshot=snapshot)
    v.refresh_from_db()
    assert (v.status, v.answer_reference) == (VerificationStatus.ANSWERED, "CV-12/BP")
    opened = {
        "border_gate": str(w.gate.pk),
        "country": "CN",
        "channel": "bilateral",
        "received_at": timezone.now().strftime("%d/%m/%Y %H:%M"),
    }
    assert_matrix(
        Endpoint(
            "POST",
            "/returns/receptions/new/",
            data=opened,
            permitted_status=ok,
            also_allowed={"other_agency"},
        ),
        actors,
    )
    _hand_on(w, w.member)
    w.event.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            f"/returns/receptions/{w.event.pk}/complete/",
            data={"version": w.event.version, "receipt_number": "BB-40/2026"},
            permitted_status=ok,
        ),
        actors,
        snapshot=snapshot,
    )
    w.record.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            f"/returns/{w.record.pk}/cancel/",
            data={"version": w.record.version, "reason": "Not handed over"},
            permitted_status=ok,
        ),
        actors,
        snapshot=snapshot,
    )
    w.record.refresh_from_db()
    w.event.refresh_from_db()
    assert w.record.status == ReturnStatus.CANCELLED
    assert (w.event.status, w.event.receipt_number) == (ReceptionStatus.COMPLETED, "BB-40/2026")


# --- Returns ---------------------------------------------------------------------------------------


def test_the_return_list_filters_and_finds_by_name_or_reference(w: World, client: Client) -> None:
    someone = new_person(full_name="Hoàng Văn Thụ", actor=w.officer, owner_agency=w.agency)
    expected = services.return_record(
        actor=w.officer, person=someone, country="MY", how="assisted_voluntary", channel="commit",
        expected_on=timezone.localdate() + datetime.timedelta(days=5),
    )  # fmt: skip
    client.force_login(w.officer)

    def refs(query: str) -> set[str]:
        response = client.get("/returns/" + query)
        assert response.status_code == 200
        return {r.reference for r in response.context["page"].object_list}

    assert refs("") == {w.record.reference, expected.reference, w.member.return_record.reference}
    assert refs("?status=expected") == {expected.reference}
    assert refs("?country=MY") == {expected.reference}
    assert refs(f"?border_gate={w.gate.pk}") == {w.record.reference, w.member.return_record.reference}
    assert refs("?q=vang+thi+my") == {w.record.reference}  # no diacritics, the registry's search
    assert refs("?q=Huỳnh+Thụ") == {expected.reference}  # Hoàng/Huỳnh alike, Văn optional
    assert refs(f"?q={expected.reference.lower()}") == {expected.reference}
    assert refs("?q=nobody") == set()
    searched = (
        AuditEvent.objects.filter(action="list", object_type="returns.return").order_by("-sequence").first()
    )
    assert searched is not None
    assert searched.details["filters"] == ["q"]
    assert "nobody" not in str(searched.details)  # kept as keyed hashes only
    bad = client.get("/returns/?status=nope")
    assert bad.status_code == 200
    assert 'data-testid="invalid-filters"' in bad.content.decode()
    partial = client.get("/returns/?status=expected", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert expected.reference in partial.content.decode()


def test_recording_a_return_from_the_person_page(w: World, client: Client) -> None:
    client.force_login(w.officer)
    person_page = client.get(f"/people/{w.person.pk}/").content.decode()
    assert 'data-testid="record-return"' in person_page
    assert f"/returns/new/?person={w.person.pk}" in person_page
    client.force_login(member(Role.JUSTICE_OFFICER, agency=w.agency))
    assert 'data-testid="record-return"' not in client.get(f"/people/{w.person.pk}/").content.decode()
    client.force_login(w.officer)
    bad = {
        "person": str(w.person.pk),
        "country": "XX",
        "how": "walked",
        "channel": "",
        "returned_on": (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
        "notes": "x" * 4001,
    }
    before = Return.objects.count()
    response = client.post("/returns/new/", bad)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"country", "how", "channel", "returned_on", "notes"}
    assert 'data-testid="form-errors"' in response.content.decode()
    assert Return.objects.count() == before
    good = {
        **bad,
        "country": "KR",
        "how": "own_means",
        "channel": "consular",
        "notes": "Flew in",
        "returned_on": timezone.localdate().strftime("%d/%m/%Y"),
        "border_gate": str(w.gate.pk),
    }
    response = client.post("/returns/new/", good)
    assert response.status_code == 302
    record = Return.objects.get(country="KR")
    assert response["Location"] == f"/returns/{record.pk}/"
    assert (record.status, record.person, record.notes) == (ReturnStatus.RECEIVED, w.person, "Flew in")
    assert client.get("/returns/new/?person=not-a-uuid").status_code == 404


def test_the_return_page_shows_its_verification_reception_alerts_and_plans(client: Client) -> None:
    world = af.world()
    alert = alert_services.alert_detect(
        meeting=alert_services.meeting_of_screening(af.screened(world.gate, world.returnee))
    )
    assert alert is not None
    back = world.return_record
    request = services.verification_receive(
        actor=world.supervisor, record=back, foreign_authority=AUTHORITY, received_at=timezone.now()
    )
    request = services.verification_check(actor=world.supervisor, request=request, version=request.version)
    client.force_login(world.supervisor)
    page = client.get(f"/returns/{back.pk}/").content.decode()
    assert af.RETURNEE in page
    assert f"/cases/{back.case_id}/" in page
    assert f"/returns/verifications/{request.pk}/" in page
    assert f"/returns/alerts/{alert.pk}/" in page
    assert f"/returns/plans/{world.plan.pk}/" in page
    assert 'data-testid="cancel-return"' in page
    # A frontline officer of the agency reads returns, not alerts or plans.
    client.force_login(member(Role.FRONTLINE_OFFICER, agency=world.agency))
    page = client.get(f"/returns/{back.pk}/").content.decode()
    assert f"/returns/alerts/{alert.pk}/" not in page
    assert f"/returns/plans/{world.plan.pk}/" not in page
    assert 'data-testid="return-case"' in page


def test_cancelling_needs_a_reason_and_refuses_a_stale_version(w: World, client: Client) -> None:
    client.force_login(w.officer)
    url = f"/returns/{w.record.pk}/cancel/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": w.record.version, "reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    response = client.post(url, {"version": w.record.version - 1 or 99, "reason": "Not handed over"})
    assert response.status_code == 400
    assert str(StaleVersion.default_message) in response.content.decode()
    assert "Not handed over" in response.content.decode()  # nothing lost
    w.record.refresh_from_db()
    assert w.record.status == ReturnStatus.RECEIVED
    assert client.post(url, {"version": w.record.version, "reason": "Not handed over"}).status_code == 302
    w.record.refresh_from_db()
    assert (w.record.status, w.record.cancel_reason) == (ReturnStatus.CANCELLED, "Not handed over")
    page = client.get(f"/returns/{w.record.pk}/").content.decode()
    assert 'data-testid="cancel-reason"' in page
    assert 'data-testid="cancel-return"' not in page
    again = client.post(url, {"version": w.record.version, "reason": "Twice"})
    assert again.status_code == 400
    w.record.refresh_from_db()
    assert w.record.cancel_reason == "Not handed over"


# --- Verification ----------------------------------------------------------------------------------


def test_verification_steps_through_the_page(w: World, client: Client) -> None:
    document(of=w.person, kind="cccd", number="001195012345")
    client.force_login(w.officer)
    v = w.verification
    listing = client.get("/returns/verifications/?due=yes").content.decode()
    assert f"/returns/verifications/{v.pk}/" in listing
    url = f"/returns/verifications/{v.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="step-check"' in page
    assert 'data-testid="step-decide"' not in page
    assert v.answer_due_at is not None
    assert v.answer_due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in page
    # Deciding before the check is refused on the form (the service says it is not at that step).
    early = client.post(url + "decide/", {"version": v.version, "confirmed": "yes", "basis": "Looks right"})
    assert early.status_code == 400
    assert "Looks right" in early.content.decode()
    assert client.post(url + "check/", {"version": v.version}).status_code == 302
    v.refresh_from_db()
    page = client.get(url).content.decode()
    assert v.status == VerificationStatus.CHECKED
    assert 'data-testid="checked-documents"' in page
    assert "001195012345" in page
    assert 'data-testid="has-cccd"' in page
    assert 'data-testid="step-check"' in page  # re-run allowed
    assert 'data-testid="step-decide"' in page
    # A stale version is refused with a clear message and the typed basis stays in the form.
    stale = client.post(
        url + "decide/", {"version": v.version - 1, "confirmed": "no", "basis": "Name differs"}
    )
    assert stale.status_code == 400
    body = stale.content.decode()
    assert str(StaleVersion.default_message) in body
    assert "Name differs" in body
    v.refresh_from_db()
    assert v.status == VerificationStatus.CHECKED
    missing = client.post(url + "decide/", {"version": v.version, "confirmed": "yes", "basis": ""})
    assert missing.status_code == 400
    assert client.post(url + "check/", {"version": v.version}).status_code == 302  # re-run
    v.refresh_from_db()
    done = client.post(url + "decide/", {"version": v.version, "confirmed": "no", "basis": "Name differs"})
    assert done.status_code == 302
    v.refresh_from_db()
    assert (v.status, v.decision_note) == (VerificationStatus.NOT_CONFIRMED, "Name differs")
    assert client.post(url + "answer/", {"version": v.version, "answer_reference": ""}).status_code == 400
    assert client.post(url + "answer/", {"version": v.version, "answer_reference": "CV-9"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="answer"' in page
    assert "CV-9" in page
    assert 'data-testid="step-' not in page
    assert client.get(url + "check/").status_code == 405
    assert (
        f"/returns/verifications/{v.pk}/"
        not in client.get("/returns/verifications/?due=yes").content.decode()
    )


def test_an_overdue_request_is_flagged(w: World, client: Client) -> None:
    VerificationRequest.objects.filter(pk=w.verification.pk).update(
        answer_due_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(w.officer)
    assert (
        'data-testid="overdue"' in client.get(f"/returns/verifications/{w.verification.pk}/").content.decode()
    )
    assert 'data-testid="overdue"' in client.get("/returns/verifications/").content.decode()


def test_receiving_a_request_through_the_page(w: World, client: Client) -> None:
    other = services.return_record(
        actor=w.officer, person=w.person, country="KH", how="rescued", channel="consular"
    )
    client.force_login(w.officer)
    detail = client.get(f"/returns/{other.pk}/").content.decode()
    assert f"/returns/{other.pk}/verification/new/" in detail
    url = f"/returns/{other.pk}/verification/new/"
    future = (timezone.now() + datetime.timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
    bad = client.post(url, {"foreign_authority": "", "received_at": future})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"foreign_authority", "received_at"}
    response = client.post(
        url,
        {"foreign_authority": "Phnom Penh", "foreign_reference": "KH-77", "received_at": "01/12/2026 09:30"},
    )
    assert response.status_code == 302
    request = VerificationRequest.objects.get(return_record=other)
    assert response["Location"] == f"/returns/verifications/{request.pk}/"
    assert request.foreign_reference == "KH-77"
    # The return has its request now: the form sends the user to it.
    assert client.get(url)["Location"] == f"/returns/verifications/{request.pk}/"


# --- Receptions ------------------------------------------------------------------------------------


def test_opening_a_reception_with_other_officers(w: World, client: Client) -> None:
    colleague = member(Role.FRONTLINE_OFFICER, agency=w.agency)
    outsider = member(Role.FRONTLINE_OFFICER)
    client.force_login(w.officer)
    form = client.get("/returns/receptions/new/")
    assert form.status_code == 200
    assert str(colleague) in form.content.decode()
    data = {
        "border_gate": str(w.gate.pk),
        "country": "CN",
        "channel": "blo",
        "foreign_authority": "Dongxing BLO",
        "received_at": timezone.now().strftime("%d/%m/%Y %H:%M"),
        "officers": [str(colleague.pk)],
    }
    refused = client.post("/returns/receptions/new/", {**data, "officers": [str(outsider.pk)], "channel": ""})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"officers", "channel"}
    response = client.post("/returns/receptions/new/", data)
    assert response.status_code == 302
    event = ReceptionEvent.objects.get(foreign_authority="Dongxing BLO")
    assert response["Location"] == f"/returns/receptions/{event.pk}/"
    assert set(event.officers.values_list("officer", flat=True)) == {w.officer.pk, colleague.pk}
    page = client.get(response["Location"]).content.decode()
    assert f"/returns/receptions/{event.pk}/sitting/" in page
    assert 'data-testid="open-sitting"' in page
    assert 'data-testid="no-members"' in page
    listing = client.get("/returns/receptions/?status=open").content.decode()
    assert event.reference in listing
    assert event.reference not in client.get("/returns/receptions/?status=completed").content.decode()


def test_completing_a_reception_once_everyone_is_handed_on(w: World, client: Client) -> None:
    second = services.member_add(actor=w.officer, event=w.event, full_name="Lò Thị Hoa", sex="female")
    _hand_on(w, w.member)
    client.force_login(w.officer)
    url = f"/returns/receptions/{w.event.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="pending-members"' in page
    assert 'data-testid="reception-complete"' not in page
    assert "Mother" in page
    # Posted while a member is pending: the service's refusal lists them.
    w.event.refresh_from_db()
    refused = client.post(url + "complete/", {"version": w.event.version, "receipt_number": "BB-1"})
    assert refused.status_code == 400
    assert "Returnees not yet handed on: 2." in refused.content.decode()
    assert 'data-testid="form-errors"' in refused.content.decode()
    _hand_on(w, second)
    page = client.get(url).content.decode()
    assert 'data-testid="reception-complete"' in page
    stale = client.post(url + "complete/", {"version": w.event.version + 1, "receipt_number": "BB-1"})
    assert stale.status_code == 400
    assert str(StaleVersion.default_message) in stale.content.decode()
    assert "BB-1" in stale.content.decode()
    w.event.refresh_from_db()
    assert w.event.status == ReceptionStatus.OPEN
    done = client.post(
        url + "complete/",
        {"version": w.event.version, "receipt_number": "BB-1", "receipt_signed_at": "05/12/2026 16:00"},
    )
    assert done.status_code == 302
    w.event.refresh_from_db()
    assert (w.event.status, w.event.receipt_number) == (ReceptionStatus.COMPLETED, "BB-1")
    page = client.get(url).content.decode()
    assert 'data-testid="reception-complete"' not in page
    assert 'data-testid="open-sitting"' not in page
    assert "05/12/2026 16:00" in page
    assert client.get(url + "complete/").status_code == 405


# --- Navigation, languages, query counts -----------------------------------------------------------


def test_the_returns_menu_follows_the_permissions(w: World, client: Client) -> None:
    client.force_login(w.officer)  # frontline: returns.view, not follow-up
    page = client.get("/returns/").content.decode()
    for testid in ("nav-returns-list", "nav-receptions", "nav-verifications"):
        assert f'data-testid="{testid}"' in page
    assert 'data-testid="nav-followups"' not in page
    client.force_login(member(Role.SUPERVISOR, agency=w.agency))
    page = client.get("/returns/").content.decode()
    for testid in ("nav-returns-list", "nav-receptions", "nav-verifications", "nav-followups", "nav-alerts"):
        assert f'data-testid="{testid}"' in page
    client.force_login(member(Role.JUSTICE_OFFICER, agency=w.agency))
    assert 'data-testid="nav-returns"' not in client.get("/").content.decode()


def test_the_pages_render_in_vietnamese(w: World, client: Client) -> None:
    client.force_login(w.officer)
    client.cookies["django_language"] = "vi"
    for url in (
        "/returns/",
        f"/returns/{w.record.pk}/",
        f"/returns/verifications/{w.verification.pk}/",
        "/returns/receptions/",
        f"/returns/receptions/{w.event.pk}/",
        "/returns/receptions/new/",
        f"/returns/new/?person={w.person.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="vi"' in response.content.decode()


def _statements(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # Besides the audit write's savepoint pair and, on PostgreSQL, its hash chain's advisory lock.
    plain = [
        q
        for q in captured.captured_queries
        if "SAVEPOINT" not in q["sql"] and "pg_advisory_xact_lock" not in q["sql"]
    ]
    if os.environ.get("RPAGES_SHOW_QUERIES"):
        print("\n##", url, len(plain))
        for q in plain:
            print("   ", q["sql"][:220])
    return len(captured), len(plain)


def test_list_and_detail_pages_do_not_grow_with_rows(w: World, client: Client) -> None:
    client.force_login(w.officer)
    urls = [
        "/returns/",
        "/returns/verifications/",
        "/returns/receptions/",
        f"/returns/receptions/{w.event.pk}/",
        f"/returns/{w.record.pk}/",
        f"/returns/verifications/{w.verification.pk}/",
    ]
    for url in urls:
        client.get(url)  # warm caches (content types, permissions)
    supervisor = Client()
    supervisor.force_login(member(Role.SUPERVISOR, agency=w.agency))  # also reads alerts and plans
    detail = f"/returns/{w.record.pk}/"
    supervisor.get(detail)
    few = {url: _statements(client, url) for url in urls}
    few["supervisor"] = _statements(supervisor, detail)
    for _ in range(4):
        services.member_add(actor=w.officer, event=w.event, full_name="Lò Thị Hoa", sex="female")
        someone = new_person(full_name="Hoàng Văn Thụ", actor=w.officer, owner_agency=w.agency)
        back = services.return_record(
            actor=w.officer, person=someone, country="LA", how="rescued", channel="blo"
        )
        services.verification_receive(
            actor=w.officer, record=back, foreign_authority="X", received_at=timezone.now()
        )
    v = w.verification
    v = services.verification_check(actor=w.officer, request=v, version=v.version)
    v = services.verification_decide(
        actor=w.officer, request=v, version=v.version, confirmed=True, basis="ok"
    )
    af.plan_for(
        w.person, agency=w.agency, worker=member(Role.CASE_WORKER, agency=w.agency), return_record=w.record
    )
    many = {url: _statements(client, url) for url in urls}
    many["supervisor"] = _statements(supervisor, detail)
    for url in [*urls, "supervisor"]:
        assert many[url][0] == few[url][0], url
        assert many[url][1] <= 12, (url, many[url])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_fit_a_phone_and_the_menu_leads_to_them(live_server, chromium) -> None:
    from playwright.sync_api import expect

    from shield.cases.tests.test_browser_cases import sign_in, watch_console

    w = _world()
    w.officer.username = "bp.mongcai"
    w.officer.save(update_fields=["username"])
    base = live_server.url
    context = chromium.new_context(viewport={"width": 390, "height": 800}, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = watch_console(page)
        sign_in(page, base, "bp.mongcai")

        def fits() -> None:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url

        page.locator(".navbar-toggler").click()
        page.get_by_test_id("nav-returns").click()
        page.get_by_test_id("nav-receptions").click()
        page.wait_for_url(f"{base}/returns/receptions/")
        fits()
        page.get_by_role("link", name=w.event.reference).click()
        expect(page.get_by_test_id("member-row")).to_have_count(1)
        expect(page.get_by_test_id("open-sitting")).to_be_visible()
        fits()
        page.get_by_role("link", name=MEMBER).click()
        expect(page.get_by_test_id("return-facts")).to_be_visible()
        fits()
        page.goto(f"{base}/returns/verifications/{w.verification.pk}/")
        page.get_by_test_id("submit-check").click()
        expect(page.get_by_test_id("step-decide")).to_be_visible()
        fits()
        page.goto(f"{base}/returns/?q=vang")
        expect(page.get_by_test_id("return-row")).to_have_count(1)
        fits()
        assert errors == []
    finally:
        context.close()
