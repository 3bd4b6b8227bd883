"""The auditor pages end to end: who may read what, filters, pages, and the audit of the reads."""

import re
import uuid
from datetime import datetime
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.audit import record
from shield.audit.models import AuditAction, AuditEvent
from shield.audit.verification import verify_chain

pytestmark = pytest.mark.django_db

LIST_URL = reverse("audit:event_list")
EVENT_TYPE = "audit.auditevent"
# Strings that appear only in the sample events: none may reach a page the viewer may not read.
SAMPLE_SECRETS = ["SECRET-REASON-A", "case-1", "person-9", "report-2", "alice", "bob"]


def _march_2025(day: int, hour: int) -> datetime:
    """A moment in Vietnam time (the settings' zone)."""
    return timezone.make_aware(datetime(2025, 3, day, hour))


def detail_url(event: AuditEvent) -> str:
    return reverse("audit:event_detail", args=[event.pk])


@pytest.fixture
def sample(alice, bob, agency, other_agency, frozen_now) -> dict[str, AuditEvent]:
    """Five events on known days (Vietnam time) in two agencies, plus one with no agency."""
    written = {}
    plan = [
        ("a1", _march_2025(1, 10), alice, agency, AuditAction.CREATE, "cases.case", "case-1", ""),
        (
            "a2",
            _march_2025(2, 9),
            alice,
            agency,
            AuditAction.UPDATE,
            "cases.case",
            "case-1",
            "SECRET-REASON-A",
        ),
        (
            "b1",
            _march_2025(2, 15),
            bob,
            other_agency,
            AuditAction.VIEW,
            "people.person",
            "person-9",
            "",
        ),
        (
            "b2",
            _march_2025(3, 8),
            bob,
            other_agency,
            AuditAction.EXPORT,
            "statistics.report",
            "report-2",
            "",
        ),
        # 01:00 on 4 March in Vietnam is still 3 March in UTC: date filters must use local days.
        (
            "n1",
            _march_2025(4, 1),
            None,
            None,
            AuditAction.LOGIN_FAILED,
            "accounts.user",
            "unknown-9",
            "",
        ),
    ]
    for key, moment, actor, event_agency, action, object_type, object_id, reason in plan:
        with frozen_now(moment):
            written[key] = record(
                action=action,
                actor=actor,
                agency=event_agency,
                object_type=object_type,
                object_id=object_id,
                reason=reason,
                ip_address="192.0.2.44",
                request_id=f"req-{key}",
            )
    return written


def _listed_actors(body: str) -> list[str]:
    """Who did the events listed, leaving out the national auditor's own reads and searches."""
    found = re.findall(
        r'data-testid="event-link">\d+</a></td>\s*<td[^>]*>[^<]*</td>\s*<td>([^<]*)</td>', body
    )
    return sorted(set(found) - {"national.auditor"})


def _shown(response) -> set[str]:
    """Sample events on the page, by key (the viewer's own sign-in and reads are left out)."""
    ids = {"case-1", "person-9", "report-2", "unknown-9"}
    keys = {
        ("case-1", "create"): "a1",
        ("case-1", "update"): "a2",
        ("person-9", "view"): "b1",
        ("report-2", "export"): "b2",
        ("unknown-9", "login_failed"): "n1",
    }
    return {keys[(e.object_id, e.action)] for e in response.context["events"] if e.object_id in ids}


def _denials(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor=user))


# --- who may read ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["list", "detail"])
def test_anonymous_visitor_is_sent_to_sign_in(client, sample, url_name):
    url = LIST_URL if url_name == "list" else detail_url(sample["a2"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "SECRET-REASON-A" not in response.content.decode()


def test_user_without_the_permission_gets_403_on_the_list_and_it_is_recorded(signed_in, case_worker, sample):
    response = signed_in(case_worker).get(LIST_URL)

    assert response.status_code == 403
    body = response.content.decode()
    for secret in SAMPLE_SECRETS:
        assert secret not in body
    assert "events" not in response.context or not response.context["events"]
    denials = _denials(case_worker)
    assert [(d.object_type, d.object_id) for d in denials] == [(EVENT_TYPE, "")]
    assert not AuditEvent.objects.filter(action=AuditAction.LIST, actor=case_worker).exists()


def test_user_without_the_permission_gets_403_on_a_detail_and_it_is_recorded(signed_in, case_worker, sample):
    target = sample["a2"]

    response = signed_in(case_worker).get(detail_url(target))

    assert response.status_code == 403
    body = response.content.decode()
    for secret in [*SAMPLE_SECRETS, target.hash]:
        assert secret not in body
    assert [(d.object_type, d.object_id) for d in _denials(case_worker)] == [(EVENT_TYPE, str(target.pk))]
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, actor=case_worker).exists()


def test_national_auditor_sees_every_agencys_events_and_those_without_agency(
    signed_in, national_auditor, sample
):
    response = signed_in(national_auditor).get(LIST_URL)

    assert response.status_code == 200
    assert _shown(response) == {"a1", "a2", "b1", "b2", "n1"}


def test_agency_auditor_sees_only_their_agencys_events(signed_in, agency_auditor, sample):
    response = signed_in(agency_auditor).get(LIST_URL)

    assert response.status_code == 200
    assert _shown(response) == {"a1", "a2"}
    body = response.content.decode()
    for secret in ["person-9", "report-2", "unknown-9", "bob", "An Giang Border Guard"]:
        assert secret not in body


def test_agency_auditor_sees_events_of_agencies_below_theirs(signed_in, agency_auditor, child_agency):
    below = record(
        action=AuditAction.VIEW, agency=child_agency, object_type="cases.case", object_id="station-case"
    )

    response = signed_in(agency_auditor).get(LIST_URL)

    assert below.pk in {e.pk for e in response.context["events"]}


def test_agency_auditor_gets_404_for_another_agencys_event(signed_in, agency_auditor, sample):
    target = sample["b1"]

    response = signed_in(agency_auditor).get(detail_url(target))

    assert response.status_code == 404
    assert "person-9" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(target.pk)).exists()


def test_unknown_event_id_is_404(signed_in, national_auditor):
    response = signed_in(national_auditor).get(reverse("audit:event_detail", args=[uuid.uuid4()]))

    assert response.status_code == 404


def test_agency_auditor_cannot_filter_by_another_agency(signed_in, agency_auditor, other_agency, sample):
    response = signed_in(agency_auditor).get(LIST_URL, {"agency": str(other_agency.pk)})

    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert response.context["events"] == []
    body = response.content.decode()
    assert "person-9" not in body
    assert "An Giang Border Guard" not in body


def test_list_filters_posted_without_words_go_to_plain_query_parameters(signed_in, national_auditor):
    response = signed_in(national_auditor).post(LIST_URL, {"action": "view", "object_id": ""})

    assert response.status_code == 303
    assert response["Location"] == f"{LIST_URL}?action=view"


def test_the_search_term_filter_finds_searches_by_their_words_and_keeps_them_out_of_the_url(
    signed_in, national_auditor, alice, bob
):
    record(action=AuditAction.LIST, actor=alice, object_type="people.person", search="Nguyễn Thị Hoa 1995")
    record(action=AuditAction.LIST, actor=bob, object_type="people.person", search="tran van binh")
    record(action=AuditAction.LIST, actor=bob, object_type="people.person")
    client = signed_in(national_auditor)

    posted = client.post(LIST_URL, {"search_term": "NGUYEN hoa"})

    assert posted.status_code == 303
    assert "nguyen" not in posted["Location"].lower()
    assert re.fullmatch(rf"{LIST_URL}\?s=[\w-]+", posted["Location"])
    body = client.get(posted["Location"]).content.decode()
    assert _listed_actors(body) == ["alice"]
    # Words in any order, with or without diacritics, and a subset of what was searched.
    assert _listed_actors(client.post(LIST_URL, {"search_term": "hòa"}, follow=True).content.decode()) == [
        "alice"
    ]
    assert (
        _listed_actors(client.post(LIST_URL, {"search_term": "hoa binh"}, follow=True).content.decode()) == []
    )


def test_the_auditors_own_search_is_audited_by_its_hashes_only(signed_in, national_auditor):
    signed_in(national_auditor).post(LIST_URL, {"search_term": "Trần Văn Bình"}, follow=True)

    own = AuditEvent.objects.get(action=AuditAction.LIST, actor=national_auditor)
    assert own.details["search"].count(" ") == 2
    assert "bình" not in str(own.details).lower()
    assert "binh" not in str(own.details).lower()


# --- filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"a1", "a2", "b1", "b2", "n1"}),
        ({"actor": "alic"}, {"a1", "a2"}),
        ({"actor": "BOB"}, {"b1", "b2"}),
        ({"action": "update"}, {"a2"}),
        ({"object_type": "cases.case"}, {"a1", "a2"}),
        ({"object_type": " People.Person "}, {"b1"}),
        ({"object_id": "report-2"}, {"b2"}),
        ({"date_from": "02/03/2025", "date_to": "03/03/2025"}, {"a2", "b1", "b2"}),
        ({"date_from": "2025-03-02", "date_to": "2025-03-03"}, {"a2", "b1", "b2"}),
        ({"date_from": "04/03/2025", "date_to": "04/03/2025"}, {"n1"}),
        ({"date_to": "01/03/2025"}, {"a1"}),
        ({"actor": "bob", "action": "export"}, {"b2"}),
        ({"actor": "alice", "action": "export"}, set()),
    ],
)
def test_each_filter_narrows_the_list(signed_in, national_auditor, sample, query, expected):
    response = signed_in(national_auditor).get(LIST_URL, query)

    assert response.status_code == 200
    assert _shown(response) == expected


def test_agency_filter_narrows_to_that_agency(signed_in, national_auditor, sample, other_agency):
    response = signed_in(national_auditor).get(LIST_URL, {"agency": str(other_agency.pk)})

    assert {e.agency_id for e in response.context["events"]} == {other_agency.pk}
    assert _shown(response) == {"b1", "b2"}


def test_date_filters_leave_out_the_viewers_own_recent_events(signed_in, national_auditor, sample):
    response = signed_in(national_auditor).get(LIST_URL, {"date_to": "04/03/2025"})

    assert len(response.context["events"]) == 5


def test_no_match_shows_the_empty_state(signed_in, national_auditor, sample):
    response = signed_in(national_auditor).get(LIST_URL, {"object_id": "no-such-record"})

    assert response.context["events"] == []
    assert "No events match these filters" in response.content.decode()


def test_invalid_filters_are_shown_field_by_field_and_nothing_is_listed(signed_in, national_auditor, sample):
    response = signed_in(national_auditor).get(LIST_URL, {"date_from": "31/02/2025", "date_to": "yesterday"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date_from", "date_to"}
    assert response.context["events"] == []
    assert "is-invalid" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.LIST, actor=national_auditor).exists()


def test_end_date_before_start_date_is_refused(signed_in, national_auditor):
    response = signed_in(national_auditor).get(LIST_URL, {"date_from": "05/03/2025", "date_to": "01/03/2025"})

    assert "The end date is before the start date." in response.context["form"].errors["date_to"]


# --- pages -----------------------------------------------------------------------------------------


def test_list_is_newest_first_and_paginated_by_50(signed_in, national_auditor, build_chain):
    build_chain(120)

    response = signed_in(national_auditor).get(LIST_URL, {"object_type": "tests.thing"})

    events = response.context["events"]
    assert len(events) == 50
    assert [e.sequence for e in events] == sorted((e.sequence for e in events), reverse=True)
    assert events[0].sequence == 120
    assert response.context["page"].paginator.num_pages == 3


def test_page_links_keep_the_filters(signed_in, national_auditor, build_chain):
    build_chain(60)
    client = signed_in(national_auditor)
    filters = {"object_type": "tests.thing", "date_from": "01/01/2020"}

    first = client.get(LIST_URL, filters)

    next_link = "?" + urlencode({**filters, "page": 2}).replace("&", "&amp;")
    assert f'href="{next_link}"' in first.content.decode()
    second = client.get(LIST_URL, {**filters, "page": 2})
    events = second.context["events"]
    assert len(events) == 10
    assert {e.object_type for e in events} == {"tests.thing"}
    assert f'href="?{urlencode({**filters, "page": 1}).replace("&", "&amp;")}"' in second.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _spread_events(n: int, *actors_and_agencies) -> None:
    for i in range(n):
        actor, event_agency = actors_and_agencies[i % len(actors_and_agencies)]
        record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=event_agency,
            object_type="cases.case",
            object_id=str(i),
        )


def test_list_page_runs_the_same_number_of_queries_for_5_or_60_events(
    signed_in, national_auditor, alice, bob, agency, other_agency, child_agency, django_assert_max_num_queries
):
    client = signed_in(national_auditor)
    spread = [(alice, agency), (bob, other_agency), (None, child_agency), (None, None)]
    _spread_events(5, *spread)
    client.get(LIST_URL)  # the first request of a session does one-off work (session row)
    few = _list_queries(client)

    _spread_events(55, *spread)
    many = _list_queries(client)

    assert many == few
    with django_assert_max_num_queries(few):
        client.get(LIST_URL)


def test_agency_auditor_list_runs_the_same_number_of_queries_for_5_or_60_events(
    signed_in, agency_auditor, alice, agency, child_agency
):
    client = signed_in(agency_auditor)
    spread = [(alice, agency), (None, child_agency)]
    _spread_events(5, *spread)
    client.get(LIST_URL)
    few = _list_queries(client)

    _spread_events(55, *spread)

    assert _list_queries(client) == few


# --- one event -------------------------------------------------------------------------------------


def test_detail_shows_every_field_including_hashes(signed_in, national_auditor, sample, agency):
    event = sample["a2"]

    response = signed_in(national_auditor).get(detail_url(event))

    assert response.status_code == 200
    body = response.content.decode()
    for value in [
        str(event.pk),
        str(event.sequence),
        "02/03/2025 09:00:00",
        "alice",
        str(event.actor_id),
        "Lao Cai Social Protection Centre",
        "Update",
        "cases.case",
        "case-1",
        "SECRET-REASON-A",
        "192.0.2.44",
        "req-a2",
        event.previous_hash,
        event.hash,
        "stored hash matches its content",
    ]:
        assert value in body, value


def test_detail_warns_when_the_event_was_changed_after_it_was_written(
    signed_in, national_auditor, sample, raw_sql
):
    raw_sql(
        "UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["rewritten", sample["a2"].sequence]
    )

    response = signed_in(national_auditor).get(detail_url(sample["a2"]))

    assert response.context["hash_matches"] is False
    assert "does not match its content" in response.content.decode()


# --- the auditor's own reads are audited -------------------------------------------------------------


def test_reading_the_list_records_a_list_event(signed_in, national_auditor, sample):
    client = signed_in(national_auditor)
    before = AuditEvent.objects.count()

    client.get(LIST_URL, {"actor": "alice"})

    new = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.action, e.actor_id, e.object_type, e.object_id) for e in new] == [
        (AuditAction.LIST, national_auditor.pk, EVENT_TYPE, "")
    ]


def test_reading_a_detail_records_a_view_of_that_event(signed_in, agency_auditor, agency, sample):
    client = signed_in(agency_auditor)
    target = sample["a1"]
    before = AuditEvent.objects.count()

    client.get(detail_url(target))

    new = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.action, e.actor_id, e.agency_id, e.object_type, e.object_id) for e in new] == [
        (AuditAction.VIEW, agency_auditor.pk, agency.pk, EVENT_TYPE, str(target.pk))
    ]


def test_the_list_page_does_not_show_the_record_of_its_own_reading(signed_in, national_auditor):
    client = signed_in(national_auditor)

    response = client.get(LIST_URL)

    shown = {e.pk for e in response.context["events"]}
    own_read = AuditEvent.objects.get(action=AuditAction.LIST, actor=national_auditor)
    assert own_read.pk not in shown


def test_chain_is_intact_after_a_session_of_auditing(signed_in, national_auditor, case_worker, sample):
    auditor = signed_in(national_auditor)
    auditor.get(LIST_URL)
    auditor.get(detail_url(sample["b1"]))
    signed_in(case_worker).get(LIST_URL)

    report = verify_chain()

    assert report.intact
    assert report.verified == AuditEvent.objects.count()


def test_htmx_filter_answers_only_the_results_fragment(signed_in, national_auditor, alice):
    client = signed_in(national_auditor)
    full = client.get("/audit/")
    fragment = client.get("/audit/", {"action": "login"}, HTTP_HX_REQUEST="true")
    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert b'id="audit-events"' in fragment.content
    assert "HX-Request" in fragment["Vary"]
