"""Immediate support at reception: given to a returnee received (meals, travel home) as the
referrals app's support delivered, with the regime's amount, refusals, voiding, the statistics
counts, the page (plain POST form with a checked `next`), the API, permissions and audit."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member as user_with
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.cases.tests.factories import open_case
from shield.core.errors import InvalidTransition, PermissionRefused, ValidationFailed
from shield.intake.tests.factories import gate_post
from shield.referrals.models import Provider, SupportDelivery
from shield.referrals.support import registrations as support_panels
from shield.referrals.support import services as support_services
from shield.returns.models import ReceptionMember, ReceptionSupport, Return, ReturnStatus
from shield.returns.reception import services, support
from shield.returns.reception.support_views import attach_support_panels
from shield.statistics.selectors import TableRequest, tables_for
from shield.statistics.tests import factories as stats_factories

pytestmark = pytest.mark.django_db
NAME = "Vàng Thị Sua"
snapshot = db_snapshot(SupportDelivery, ReceptionSupport)
TODAY = timezone.localdate


@pytest.fixture
def w():
    gate = gate_post("mong-cai")
    event = services.reception_open(
        actor=gate.officer, border_gate=gate.agency.border_gate, country="CN", channel="bilateral",
        received_at=timezone.now(),
    )  # fmt: skip
    one = services.member_add(actor=gate.officer, event=event, full_name=NAME, sex="female", birth_year=1999)
    return SimpleNamespace(gate=gate, officer=gate.officer, agency=gate.agency, event=event, member=one)


def _give(w, **extra):
    values = {
        "support_type": "travel_home",
        "delivered_on": TODAY(),
        "quantity": Decimal(2),
        "amount_vnd": 120_000,
    }
    values.update(extra)
    return support.member_support_give(actor=w.officer, member=w.member, **values)


def _actors(w):
    return Actors(
        permitted=w.officer,
        no_permission=user_with(Role.SERVICE_PROVIDER, agency=w.agency),
        other_agency=gate_post("lao-cai").officer,
    )


# --- Service -------------------------------------------------------------------------------------


def test_support_given_at_reception_is_an_immediate_delivery_of_the_receiving_agency(w):
    delivery = _give(w)
    assert delivery.immediate
    assert delivery.case is None
    assert delivery.provider is None
    assert delivery.agency == w.event.agency
    assert delivery.person == w.member.return_record.person
    # The regime in force (Law 53/2024, travel and meals home, up to 60,000 VND a day) applied.
    assert (delivery.suggested_amount_vnd, delivery.unit) == (120_000, "day")
    assert "53/2024" in delivery.regime_basis
    assert ReceptionSupport.objects.get(delivery=delivery).member == w.member
    assert AuditEvent.objects.filter(action="create", object_id=str(delivery.pk)).count() == 1
    link = ReceptionSupport.objects.get(delivery=delivery)
    assert AuditEvent.objects.filter(action="create", object_id=str(link.pk)).count() == 1


def test_it_is_tied_to_the_returnees_case_and_the_agencys_directory_entry_when_they_exist(w):
    person = w.member.return_record.person
    case = open_case(agency=w.agency, person_=person)
    Return.objects.filter(pk=w.member.return_record_id).update(case=case)
    entry = Provider.objects.create(
        agency=w.agency, name="Đồn Biên phòng Móng Cái", province=w.agency.province
    )
    delivery = _give(w)
    assert (delivery.case, delivery.provider, delivery.agency) == (case, entry, w.agency)
    # The case page's support panel lists it, naming the giving agency's entry.
    panel = support_panels.support_panel(case.created_by, case)
    assert panel is not None
    assert panel["deliveries"] == [delivery]
    html = render_to_string("referrals/support/_case_panel.html", {"panel": panel})
    assert "Đồn Biên phòng Móng Cái" in html


def test_refusals_role_reach_dates_and_a_cancelled_return(w):
    with pytest.raises(PermissionRefused):
        support.member_support_give(
            actor=user_with(Role.SERVICE_PROVIDER, agency=w.agency), member=w.member,
            support_type="travel_home", delivered_on=TODAY(), amount_vnd=60_000,
        )  # fmt: skip
    with pytest.raises(PermissionRefused):  # reception staff of another gate's agency
        support.member_support_give(
            actor=gate_post("lao-cai").officer, member=w.member, support_type="travel_home",
            delivered_on=TODAY(), amount_vnd=60_000,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as before:
        _give(w, delivered_on=TODAY() - datetime.timedelta(days=3))
    assert "delivered_on" in before.value.field_errors
    with pytest.raises(ValidationFailed) as future:
        _give(w, delivered_on=TODAY() + datetime.timedelta(days=1))
    assert "delivered_on" in future.value.field_errors
    with pytest.raises(ValidationFailed) as kind:
        _give(w, support_type="meals_and_more")
    assert "support_type" in kind.value.field_errors
    with pytest.raises(ValidationFailed) as money:
        _give(w, amount_vnd=None)  # a money regime: the amount is asked for
    assert "amount_vnd" in money.value.field_errors
    Return.objects.filter(pk=w.member.return_record_id).update(status=ReturnStatus.CANCELLED)
    with pytest.raises(InvalidTransition):
        _give(w)
    assert not SupportDelivery.objects.exists()
    assert not ReceptionSupport.objects.exists()


def test_an_amount_over_the_regimes_cap_needs_a_reason_and_keeps_it(w):
    with pytest.raises(ValidationFailed) as over:
        _give(w, amount_vnd=200_000)
    assert "deviation_reason" in over.value.field_errors
    below = _give(w, amount_vnd=100_000)  # under the cap: no reason needed
    assert below.deviation_reason == ""
    over_cap = _give(w, amount_vnd=200_000, deviation_reason="Bus ticket to Hà Giang costs more")
    assert over_cap.deviation_reason == "Bus ticket to Hà Giang costs more"
    assert over_cap.suggested_amount_vnd == 120_000


def test_voiding_by_reception_staff_and_refused_to_another_gate(w):
    delivery = _give(w)
    with pytest.raises(PermissionRefused):
        support_services.support_delivery_void(
            actor=gate_post("lao-cai").officer, delivery=delivery, version=delivery.version, reason="x"
        )
    voided = support_services.support_delivery_void(
        actor=w.officer, delivery=delivery, version=delivery.version, reason="Recorded twice"
    )
    assert voided.voided_at is not None
    assert voided.voided_by == w.officer
    assert AuditEvent.objects.filter(action="update", object_id=str(delivery.pk)).count() == 1


def test_the_void_page_goes_back_to_next_and_refuses_an_open_redirect(w):
    first, second = _give(w), _give(w, amount_vnd=60_000, quantity=Decimal(1))
    client = Client()
    client.force_login(w.officer)
    back = reverse("returns:member_support", args=[w.member.pk])
    url = reverse("referrals:delivery_void", args=[first.pk])
    page = client.get(url, {"next": back})
    assert page.status_code == 200
    assert f'href="{back}"' in page.content.decode()
    done = client.post(f"{url}?next={back}", {"version": first.version, "reason": "Twice"})
    assert (done.status_code, done["Location"]) == (302, back)
    evil = client.post(
        reverse("referrals:delivery_void", args=[second.pk]) + "?next=https://evil.example/",
        {"version": second.version, "reason": "Twice"},
    )
    assert evil["Location"] == reverse("referrals:delivery_detail", args=[second.pk])
    assert SupportDelivery.objects.filter(voided_at__isnull=False).count() == 2


# --- Statistics ----------------------------------------------------------------------------------


def _requests(day: datetime.date) -> list[TableRequest]:
    return [
        TableRequest("support_deliveries", str(day.year), ("province",)),
        TableRequest("persons_supported", str(day.year), ("support_type",)),
    ]


def test_immediate_support_counts_in_deliveries_and_persons_supported_by_its_agency(w):
    _give(w)
    _give(w, support_type="hardship_allowance", amount_vnd=1_500_000, quantity=Decimal(1))
    voided = _give(w, amount_vnd=60_000, quantity=Decimal(1))
    support_services.support_delivery_void(actor=w.officer, delivery=voided, version=1, reason="Twice")
    day = TODAY()
    national = stats_factories.statistician()
    deliveries, persons = tables_for(user=national, requests=_requests(day))
    assert deliveries.total.value == 2
    assert deliveries.get(province=w.agency.province.code).value == 2
    assert (persons.total.value, persons.total.records) == (1, 1)
    assert persons.get(support_type="travel_home").value == 1
    ours = user_with(Role.SUPERVISOR, agency=w.agency, scope=Scope.AGENCY)
    theirs = user_with(Role.SUPERVISOR, agency=stats_factories.agency("lao_cai"), scope=Scope.AGENCY)
    assert [t.total.value for t in tables_for(user=ours, requests=_requests(day))] == [2, 1]
    assert [t.total.value for t in tables_for(user=theirs, requests=_requests(day))] == [0, 0]


# --- Page ----------------------------------------------------------------------------------------


def _form(**extra):
    data = {
        "support_type": "travel_home",
        "delivered_on": TODAY().strftime("%d/%m/%Y"),
        "quantity": "1",
        "unit": "",
        "amount_vnd": "60000",
        "deviation_reason": "",
    }
    data.update(extra)
    return data


def test_the_page_through_the_permission_matrix(w):
    _give(w)
    url = reverse("returns:member_support", args=[w.member.pk])
    actors = _actors(w)
    assert_matrix(Endpoint("GET", url), actors, secrets=[NAME, "120000"], snapshot=snapshot)
    assert_matrix(Endpoint("POST", url, data=_form(), permitted_status={302}), actors, snapshot=snapshot)
    assert SupportDelivery.objects.count() == 2
    assert AuditEvent.objects.filter(action="view", object_id=str(w.member.pk)).count() == 1


def test_the_page_shows_the_form_and_a_void_link_that_comes_back(w):
    delivery = _give(w)
    client = Client()
    client.force_login(w.officer)
    url = reverse("returns:member_support", args=[w.member.pk])
    body = client.get(url).content.decode()
    assert 'data-testid="member-support-form"' in body
    void = reverse("referrals:delivery_void", args=[delivery.pk])
    assert f'href="{void}?next=%2Freturns%2Freceptions%2Fmembers%2F{w.member.pk}%2Fsupport%2F"' in body


def test_posting_redirects_to_a_safe_next_only(w):
    client = Client()
    client.force_login(w.officer)
    url = reverse("returns:member_support", args=[w.member.pk])
    sitting = reverse("returns:verification_list")
    response = client.post(url, _form(next=sitting))
    assert (response.status_code, response["Location"]) == (302, sitting)
    response = client.post(url, _form(next="https://evil.example/steal"))
    assert (response.status_code, response["Location"]) == (302, url)
    response = client.post(url, _form(next="//evil.example/"))
    assert response["Location"] == url
    assert SupportDelivery.objects.filter(immediate=True).count() == 3


def test_a_deviation_without_a_reason_stays_in_the_form_with_what_was_typed(w):
    client = Client()
    client.force_login(w.officer)
    url = reverse("returns:member_support", args=[w.member.pk])
    response = client.post(url, _form(amount_vnd="90000", next="/returns/verifications/"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-deviation_reason"' in body
    assert 'value="90000"' in body
    assert 'value="/returns/verifications/"' in body
    assert not SupportDelivery.objects.exists()


def _statements(captured: CaptureQueriesContext) -> int:
    """Queries run, without the savepoints the audit's nested atomic block adds."""
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


def test_the_page_in_vietnamese_and_its_query_count_does_not_grow(w):
    client = Client(headers={"accept-language": "vi"})
    client.force_login(w.officer)
    url = reverse("returns:member_support", args=[w.member.pk])
    client.get(url)  # the session settles (language) on the first page
    _give(w)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        _give(w, amount_vnd=60_000, quantity=Decimal(1))
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    # 12: session, user, memberships, the two permission reads of require_any, the agency subtree,
    # the member, the count, the rows, the bell, the audit chain's head and the insert; PostgreSQL
    # adds the audit chain's advisory lock (shield/audit/services.py).
    assert _statements(few) <= 12 + (connection.vendor == "postgresql")
    assert _statements(more) <= _statements(few)
    body = page.content.decode()
    assert body.count('data-testid="member-support-row"') == 7
    assert 'lang="vi"' in body
    assert "Hỗ trợ đã cung cấp" in body or "Chế độ hỗ trợ có hiệu lực hôm nay" in body


def test_the_sitting_gets_every_members_panel_in_one_query(w, django_assert_num_queries):
    second = services.member_add(actor=w.officer, event=w.event, full_name="Lò Thị Hoa", sex="female")
    _give(w)
    members = list(ReceptionMember.objects.filter(event=w.event).order_by("position"))
    with django_assert_num_queries(1):
        attach_support_panels(user=w.officer, members=members, next_url="/returns/verifications/")
    first_panel, second_panel = members[0].support_panel, members[1].support_panel
    assert len(first_panel["deliveries"]) == 1
    assert second_panel["deliveries"] == []
    assert second_panel["member"] == second
    assert first_panel["form"]["next"].value() == "/returns/verifications/"


def test_immediate_support_in_the_referrals_pages_for_reception_staff(w):
    delivery = _give(w)
    client = Client()
    client.force_login(w.officer)
    listing = client.get(reverse("referrals:delivery_list")).content.decode()
    assert NAME in listing
    assert w.agency.name in listing
    detail = client.get(reverse("referrals:delivery_detail", args=[delivery.pk]))
    assert detail.status_code == 200
    assert 'data-testid="delivery-immediate"' in detail.content.decode()
    other = Client()
    other.force_login(gate_post("lao-cai").officer)
    assert other.get(reverse("referrals:delivery_detail", args=[delivery.pk])).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_the_api_through_the_permission_matrix(w):
    _give(w)
    url = f"/api/v1/returns/receptions/members/{w.member.pk}/support/"
    actors = _actors(w)
    assert_matrix(Endpoint("GET", url, api=True), actors, secrets=[NAME, "120000"], snapshot=snapshot)
    body = {"support_type": "travel_home", "delivered_on": TODAY().isoformat(), "amount_vnd": 60000}
    statuses = assert_matrix(
        Endpoint("POST", url, data=body, api=True, permitted_status={201}), actors, snapshot=snapshot
    )
    assert statuses["other_agency"] == 404
    assert SupportDelivery.objects.count() == 2


def test_the_api_answers_field_errors_and_voids_through_the_referrals_api(w):
    client = Client()
    client.force_login(w.officer)
    url = f"/api/v1/returns/receptions/members/{w.member.pk}/support/"
    bad = client.post(
        url, {"delivered_on": TODAY().isoformat(), "amount_vnd": 99999}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "deviation_reason" in bad.content.decode()
    made = client.post(
        url, {"delivered_on": TODAY().isoformat(), "amount_vnd": 60000}, content_type="application/json"
    )
    assert made.status_code == 201
    data = made.json()
    assert data["immediate"] is True
    assert data["case"] is None
    assert data["agency_name"] == w.agency.name
    void = client.post(
        f"/api/v1/referrals/deliveries/{data['id']}/void/",
        {"reason": "Twice", "version": data["version"]},
        content_type="application/json",
    )
    assert void.status_code == 200
    assert void.json()["voided_at"]


def test_a_national_case_reader_sees_immediate_support_tied_to_a_case_but_not_untied(w):
    person = w.member.return_record.person
    case = open_case(agency=w.agency, person_=person)
    untied = _give(w)
    Return.objects.filter(pk=w.member.return_record_id).update(case=case)
    tied = _give(w, amount_vnd=60_000, quantity=Decimal(1))
    # cases.view everywhere, no returns.view: the case's readers see what is tied to a case.
    national = user_with(Role.JUSTICE_OFFICER, agency=w.gate.receiver, scope=Scope.NATIONAL)
    client = Client()
    client.force_login(national)
    assert client.get(reverse("referrals:delivery_detail", args=[tied.pk])).status_code == 200
    assert client.get(reverse("referrals:delivery_detail", args=[untied.pk])).status_code == 404
