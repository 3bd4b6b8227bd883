"""Tips: recording (encrypted), triage deadlines, overdue panel, triage decisions, figures."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases.models import Case, Stage
from shield.core.errors import InvalidTransition, StaleVersion, ValidationFailed
from shield.intake import deadlines, selectors, services
from shield.intake.models import ReferralNotice, Tip, TipStatus
from shield.intake.tests.factories import gate_post, tip

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline():
    agency = AgencyFactory.create(name_en="Hotline Centre", province=province("01"))
    return member(Role.CASE_WORKER, agency=agency, username="hotline.worker")


def test_an_urgent_tip_is_due_for_triage_within_the_hour(hotline):
    received = timezone.now() - datetime.timedelta(minutes=5)
    urgent = tip(hotline, urgency="urgent", received_at=received)
    assert urgent.triage_due_at == received + datetime.timedelta(hours=1)
    routine = tip(hotline, received_at=received)
    assert routine.triage_due_at == received + datetime.timedelta(days=3)


def test_the_triage_deadline_is_configurable(hotline, settings, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"rules": [{"effective_from": "2020-01-01", "urgency": "urgent", "minutes": 30}]}),
        encoding="utf-8",
    )
    settings.SHIELD_TIP_TRIAGE_RULES = str(rules)
    received = timezone.now()
    assert tip(
        hotline, urgency="urgent", received_at=received
    ).triage_due_at == received + datetime.timedelta(minutes=30)
    # No rule for routine tips in this file: no deadline.
    assert tip(hotline, received_at=received).triage_due_at is None
    assert deadlines.rule_in_force(received, "urgent").minutes == 30


def test_the_texts_are_encrypted_at_rest(hotline):
    recorded = tip(
        hotline, reporter_name="Chị Bảy", reporter_contact="0912 345 678", people_mentioned="bé Na"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, reporter_contact, reporter_name, people_mentioned "
            "FROM intake_tip WHERE id = %s",
            [recorded.pk.hex if connection.vendor == "sqlite" else recorded.pk],
        )
        row = cursor.fetchone()
    assert all(value.startswith("fernet:") for value in row)
    assert "0912" not in "".join(row)
    recorded.refresh_from_db()
    assert recorded.reporter_contact == "0912 345 678"


def test_an_anonymous_reporter_leaves_no_identity(hotline, client):
    client.force_login(hotline)
    response = client.post(
        reverse("intake:tip_create"),
        {
            "channel": "hotline",
            "received_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "urgency": "routine",
            "reporter_anonymous": "on",
            "reporter_name": "Tên",
            "description": "x",
            "country": "VN",
        },
    )
    assert response.status_code == 400
    assert "An anonymous reporter leaves no name" in response.content.decode()
    assert Tip.objects.count() == 0
    recorded = tip(hotline, reporter_anonymous=True, reporter_name="ignored", reporter_contact="ignored")
    assert (recorded.reporter_name, recorded.reporter_contact) == ("", "")


def test_recording_a_tip_through_the_page_with_a_place(hotline, client):
    client.force_login(hotline)
    hanoi = province("01")
    commune = hanoi.communes.first()
    options = client.get(reverse("intake:commune_options"), {"province": "01"}).content.decode()
    assert commune.name in options
    response = client.post(
        reverse("intake:tip_create"),
        {
            "channel": "online",
            "received_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "urgency": "urgent",
            "description": "Tin nhắn Zalo: em gái bị đưa sang biên giới.",
            "country": "VN",
            "province": "01",
            "commune": commune.code,
            "people_mentioned": "Em Lan, 15 tuổi",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    recorded = Tip.objects.get()
    assert (recorded.province, recorded.commune, recorded.urgency) == (hanoi, commune, "urgent")
    page = client.get(response["Location"]).content.decode()
    assert "Em Lan, 15 tuổi" in page


def _queue_count(body, key):
    found = re.search(
        rf'data-testid="queue-{key}".*?data-testid="queue-count"[^>]*>([^<]+)<', body, flags=re.DOTALL
    )
    return int(found.group(1)) if found else None


def test_overdue_tips_are_a_queue_on_the_home_page_of_agencies_that_can_act(hotline, client):
    late = tip(hotline, urgency="urgent", received_at=timezone.now() - datetime.timedelta(hours=2))
    tip(hotline, urgency="urgent")  # not yet due
    client.force_login(hotline)
    home = client.get(reverse("home")).content.decode()
    assert "Tips past their triage deadline" in home
    assert _queue_count(home, "intake_tips_overdue") == 1
    assert _queue_count(home, "intake_tips_new") == 2
    # The counts agree with the tip list the queue links to.
    overdue_list = client.get(reverse("intake:tip_list"), {"overdue": "on"}).content.decode()
    assert late.reference in overdue_list
    assert overdue_list.count(reverse("intake:tip_detail", args=[late.pk])) >= 1
    new_list = client.get(reverse("intake:tip_list"), {"status": "new"})
    assert new_list.context["page"].paginator.count == 2
    assert client.get(reverse("intake:tip_list"), {"overdue": "on"}).context["page"].paginator.count == 1
    # Another agency's triager does not see it; after assignment the assignee does.
    elsewhere = member(Role.CASE_WORKER, agency=AgencyFactory.create(province=province("79")))
    client.force_login(elsewhere)
    assert _queue_count(client.get(reverse("home")).content.decode(), "intake_tips_overdue") is None
    services.tip_assign(actor=hotline, tip=late, expected_version=1, agency=elsewhere.primary_agency)
    # Assigned is triaged: no longer overdue anywhere.
    assert selectors.tips_overdue_for(user=hotline)[1] == 0
    client.force_login(hotline)
    assert _queue_count(client.get(reverse("home")).content.decode(), "intake_tips_overdue") is None
    client.force_login(elsewhere)
    assert client.get(reverse("intake:tip_detail", args=[late.pk])).status_code == 200


def test_triage_link_to_a_case_in_reach(hotline):
    from shield.cases import services as case_services
    from shield.people import services as people_services

    person = people_services.person_register(
        actor=hotline, owner_agency=hotline.primary_agency, full_name="Vũ Thị Hạnh", sex="female"
    )
    case = case_services.case_open(
        actor=hotline, person=person, case_type="trafficking_victim", owner_agency=hotline.primary_agency
    )
    recorded = tip(hotline)
    linked = services.tip_link(actor=hotline, tip=recorded, expected_version=1, case=case)
    assert (linked.status, linked.case, linked.person) == (TipStatus.LINKED, case, person)
    assert linked.triaged_at is not None


def test_triage_open_a_case_registers_the_person_and_notifies(hotline):
    gate = gate_post()
    recorded = tip(hotline, urgency="urgent")
    opened = services.tip_open_case(
        actor=hotline,
        tip=recorded,
        expected_version=1,
        receiving_agency=gate.receiver,
        full_name="Sùng A Páo",
        sex="male",
    )
    case = Case.objects.get()
    assert (opened.status, opened.case, case.stage) == (
        TipStatus.CASE_OPENED,
        case,
        Stage.UNDERGOING_IDENTIFICATION,
    )
    assert case.reported_at == recorded.received_at
    notice = ReferralNotice.objects.get()
    assert (notice.tip, notice.urgent) == (opened, True)


def test_closing_needs_a_reason_and_a_confirmation(hotline, client):
    recorded = tip(hotline)
    with pytest.raises(ValidationFailed):
        services.tip_close(actor=hotline, tip=recorded, expected_version=1, reason=" ")
    client.force_login(hotline)
    url = reverse("intake:tip_close", args=[recorded.pk])
    first = client.post(url, {"version": 1, "reason": "Trùng với tin TIP-khác"})
    assert first.status_code == 200
    assert 'data-testid="confirm-close"' in first.content.decode()
    assert Tip.objects.get().status == TipStatus.NEW
    client.post(url, {"version": 1, "reason": "Trùng với tin TIP-khác", "confirmed": "on"})
    closed = Tip.objects.get()
    assert (closed.status, closed.closure_reason) == (TipStatus.CLOSED, "Trùng với tin TIP-khác")
    with pytest.raises(InvalidTransition):
        services.tip_assign(
            actor=hotline, tip=closed, expected_version=closed.version, agency=hotline.primary_agency
        )


def test_a_stale_triage_is_refused(hotline):
    recorded = tip(hotline)
    services.tip_assign(actor=hotline, tip=recorded, expected_version=1, agency=AgencyFactory.create())
    with pytest.raises(StaleVersion):
        services.tip_close(actor=hotline, tip=recorded, expected_version=1, reason="x")


def test_list_filters_and_empty_state(hotline, client):
    client.force_login(hotline)
    assert "No tips yet" in client.get(reverse("intake:tip_list")).content.decode()
    urgent = tip(hotline, urgency="urgent")
    routine = tip(hotline)
    page = client.get(reverse("intake:tip_list"), {"urgency": "urgent"}).content.decode()
    assert urgent.reference in page
    assert routine.reference not in page
    assert "No tip matches" in client.get(reverse("intake:tip_list"), {"q": "nothing"}).content.decode()


def test_figures_give_time_to_triage_and_referral_rate(hotline):
    gate = gate_post()
    received = timezone.now() - datetime.timedelta(minutes=40)
    recorded = tip(hotline, received_at=received)
    services.tip_close(actor=hotline, tip=recorded, expected_version=1, reason="Không đủ thông tin")
    from shield.intake.tests.factories import draft

    for answers, outcome in (({}, "no_concern"), ({"injury_fear": True}, "referred")):
        s = draft(gate.officer, traveller_name="T", answers=answers)
        services.screening_complete(
            actor=gate.officer,
            screening=s,
            expected_version=2,
            outcome=outcome,
            receiving_agency=gate.receiver,
        )
    today = timezone.localdate()
    figures = selectors.intake_figures(user=gate.officer, date_from=today, date_to=today)
    assert figures.outcomes == {"no_concern": 1, "referred": 1}
    assert figures.referral_rate == 0.5
    assert figures.per_gate_day[0]["screenings"] == 2
    triage = selectors.intake_figures(
        user=hotline, date_from=today - datetime.timedelta(days=1), date_to=today
    )
    assert 39 <= triage.median_triage_minutes <= 41


def test_the_tip_shows_the_reporters_name_and_phone_apart(client, hotline):
    recorded = tip(hotline, reporter_name="Chị Bảy", reporter_contact="0912 345 678")
    client.force_login(hotline)
    page = client.get(reverse("intake:tip_detail", args=[recorded.pk])).content.decode()
    assert '<span data-testid="reporter-name">Chị Bảy</span> · ' in page
    assert '<span data-testid="reporter-contact">0912 345 678</span>' in page
