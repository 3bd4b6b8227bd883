"""The proceedings pages: list (filters, query count), opening, forms, worklist."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.justice.models import HoldingRole, PartyRole, Proceeding, ProceedingStep, StepKind
from shield.justice.proceedings import services, worklist
from shield.justice.tests import proceedings_factories as pf
from shield.notifications import worklists

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _real(captured) -> list[str]:
    """The queries a page runs, without the savepoints and the audit chain's lock around its audit
    event (PostgreSQL takes an advisory lock; neither reads nor writes rows)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE")) and "pg_advisory_xact_lock" not in q["sql"]
    ]


def _fill(desk: pf.Desk, n: int) -> None:
    for i in range(n):
        p = pf.open_proceeding(at=desk, offence_codes=("BLHS-150",) if i % 2 else ("BLHS-173",))
        pf.party(p, role=PartyRole.VICTIM)


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_query_count_does_not_grow_with_rows(rows, django_assert_max_num_queries) -> None:
    d = pf.desk()
    _fill(d, rows)
    client = _client(d.officer)
    client.get("/justice/")  # warm the session and caches
    with django_assert_max_num_queries(17) as captured:  # + savepoints and PostgreSQL's audit lock
        response = client.get("/justice/")
    assert response.status_code == 200
    # Every page's own 8 (session, user, memberships, 2 permission reads, agency tree, audit event
    # read + write, notifications bell) + count, page, offences, the filter's agencies, the page's
    # child parties.
    assert len(_real(captured)) <= 14
    assert response.content.decode().count('data-testid="proceeding-row"') == rows


def test_the_list_filters_trafficking_and_children() -> None:
    d = pf.desk()
    trafficking = pf.open_proceeding(at=d, offence_codes=("BLHS-150",))
    theft = pf.open_proceeding(at=d, offence_codes=("BLHS-173",))
    pf.party(theft, role=PartyRole.ACCUSED)  # a child accused
    client = _client(d.officer)
    body = client.get("/justice/", {"trafficking": "on"}).content.decode()
    assert trafficking.reference in body
    assert theft.reference not in body
    body = client.get("/justice/", {"children": "on"}).content.decode()
    assert theft.reference in body
    assert trafficking.reference not in body
    body = client.get("/justice/", {"q": theft.reference.lower()}).content.decode()
    assert theft.reference in body
    assert trafficking.reference not in body
    # The "child parties" mark, set on the page's rows (one query), and in the API.
    body = client.get("/justice/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count("Child parties</span>") == 1
    rows = {
        r["reference"]: r["has_child_parties"]
        for r in client.get("/api/v1/justice/proceedings/").json()["results"]
    }
    assert rows == {theft.reference: True, trafficking.reference: False}


def test_opening_a_proceeding_through_the_page() -> None:
    d = pf.desk()
    client = _client(d.officer)
    assert client.get("/justice/proceedings/new/").status_code == 200
    response = client.post(
        "/justice/proceedings/new/",
        {
            "kind": "criminal",
            "offences": ["BLHS-151"],
            "holding_agency": str(d.agency.pk),
            "holding_role": HoldingRole.INVESTIGATION,
            "reported_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "summary": "",
        },
    )
    assert response.status_code == 302
    proceeding = Proceeding.objects.get()
    assert response["Location"] == f"/justice/proceedings/{proceeding.pk}/"


def test_a_criminal_proceeding_without_offence_is_refused_on_the_page() -> None:
    d = pf.desk()
    response = _client(d.officer).post(
        "/justice/proceedings/new/",
        {
            "kind": "criminal",
            "holding_agency": str(d.agency.pk),
            "holding_role": HoldingRole.INVESTIGATION,
            "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "at least one offence" in response.content.decode()
    assert not Proceeding.objects.exists()


def test_a_stale_step_form_is_refused_and_keeps_the_input() -> None:
    proceeding = pf.open_proceeding()
    client = _client(proceeding.created_by)
    today = timezone.localdate().isoformat()
    ok = client.post(
        f"/justice/proceedings/{proceeding.pk}/steps/",
        {"version": 1, "kind": StepKind.CASE_INSTITUTED, "occurred_on": today},
    )
    assert ok.status_code == 302
    stale = client.post(
        f"/justice/proceedings/{proceeding.pk}/steps/",
        {"version": 1, "kind": StepKind.ACCUSED_CHARGED, "occurred_on": today, "note": "Ghi chú giữ lại"},
    )
    assert stale.status_code == 400
    body = stale.content.decode()
    assert "Someone else changed this record" in body
    assert "Ghi chú giữ lại" in body
    assert ProceedingStep.objects.filter(proceeding=proceeding).count() == 2


def test_dismissal_and_hand_over_need_a_confirmation() -> None:
    police, procuracy = pf.desk(), pf.desk(HoldingRole.PROCURACY)
    proceeding = pf.open_proceeding(at=police)
    client = _client(police.officer)
    today = timezone.localdate().isoformat()
    refused = client.post(
        f"/justice/proceedings/{proceeding.pk}/steps/",
        {"version": 1, "kind": StepKind.DISMISSED, "occurred_on": today},
    )
    assert refused.status_code == 400
    refused = client.post(
        f"/justice/proceedings/{proceeding.pk}/hand-over/",
        {"version": 1, "to_agency": str(procuracy.agency.pk), "to_role": HoldingRole.PROCURACY},
    )
    assert refused.status_code == 400
    proceeding.refresh_from_db()
    assert proceeding.holding_agency == police.agency
    assert proceeding.version == 1
    done = client.post(
        f"/justice/proceedings/{proceeding.pk}/hand-over/",
        {
            "version": 1,
            "to_agency": str(procuracy.agency.pk),
            "to_role": HoldingRole.PROCURACY,
            "confirm": "on",
        },
    )
    assert done.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.holding_agency == procuracy.agency


def test_adding_a_party_found_in_the_registry() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police)
    person = pf.person(agency=police.agency, full_name="Phạm Thị Mai")
    client = _client(police.officer)
    found = client.get(f"/justice/proceedings/{proceeding.pk}/", {"find": "Phạm Thị Mai"}).content.decode()
    assert 'data-testid="party-add-form"' in found
    response = client.post(
        f"/justice/proceedings/{proceeding.pk}/parties/",
        {
            "person": str(person.pk),
            "role": PartyRole.WITNESS,
            "event_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    party = proceeding.parties.get()
    assert party.person == person
    assert party.is_child is True


def test_the_worklist_shows_hearings_this_week_only() -> None:
    police = pf.desk()
    soon, later = pf.open_proceeding(at=police), pf.open_proceeding(at=police)
    services.step_record(
        actor=police.officer,
        proceeding=soon,
        expected_version=1,
        kind=StepKind.FIRST_INSTANCE_TRIAL,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
    )
    services.step_record(
        actor=police.officer,
        proceeding=later,
        expected_version=1,
        kind=StepKind.FIRST_INSTANCE_TRIAL,
        scheduled_for=timezone.now() + datetime.timedelta(days=20),
    )
    body = _client(police.officer).get("/justice/worklist/").content.decode()
    assert soon.reference in body
    assert later.reference not in body
    queue = worklists.get("justice_hearings")
    assert queue.count(police.officer) == 1
    stranger = pf.desk()
    assert queue.count(stranger.officer) == 0
    assert later.reference not in _client(stranger.officer).get("/justice/worklist/").content.decode()


def test_a_section_registered_by_another_part_shows_on_the_worklist() -> None:
    police = pf.desk()
    proceeding = pf.open_proceeding(at=police)
    section = worklist.Section(
        key="test_section",
        title="Test section",
        rows=lambda user, today, limit: [
            worklist.Row(proceeding=proceeding, label="Due", due=today, breached=True)
        ],
        items=lambda user, today: Proceeding.objects.filter(pk=proceeding.pk),
    )
    worklist.register_section(section)
    try:
        body = _client(police.officer).get("/justice/worklist/").content.decode()
        assert 'data-testid="worklist-section-test_section"' in body
        assert proceeding.reference in body
    finally:
        worklist.unregister_section("test_section")


def test_the_worklist_query_count_does_not_grow_with_hearings(django_assert_max_num_queries) -> None:
    police = pf.desk()
    for _ in range(6):
        p = pf.open_proceeding(at=police)
        services.step_record(
            actor=police.officer,
            proceeding=p,
            expected_version=1,
            kind=StepKind.APPEAL,
            scheduled_for=timezone.now() + datetime.timedelta(days=1),
        )
    client = _client(police.officer)
    client.get("/justice/worklist/")
    with django_assert_max_num_queries(18) as captured:  # + savepoints and PostgreSQL's audit lock
        response = client.get("/justice/worklist/")
    # One query per worklist section (hearings, deadlines, interviews, diversion reports, detention
    # limits, the last with the administrator's rule values), not per row.
    assert len(_real(captured)) <= 15
    assert response.content.decode().count('data-testid="worklist-row"') == 6


def test_the_proceeding_page_links_a_child_party_to_its_page_and_detention_history(client) -> None:
    from django.urls import reverse

    from shield.justice.tests import children_factories as cf

    at = cf.desk()
    proceeding = cf.open_proceeding(at=at)
    child = cf.party(proceeding)
    client.force_login(at.officer)
    body = client.get(reverse("justice:proceeding_detail", args=[proceeding.pk])).content.decode()
    assert reverse("justice:child_party", args=[child.pk]) in body
    assert reverse("justice:detention_party", args=[child.pk]) in body
