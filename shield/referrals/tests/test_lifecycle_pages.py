"""The referral pages: inbox and outbox (filters, overdue flags, masking, query counts), the
detail (minimum dataset, no case file, audited read, the steps offered), the steps posted, the
refer form from a case and a care-plan action, and the case panel."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.cases.models import CarePlanAction, CaseAccess
from shield.cases.tests import factories as case_factories
from shield.referrals.lifecycle import services
from shield.referrals.models import Referral, ReferralStatus, ReferralUrgency
from shield.referrals.tests import lifecycle_factories as f

pytestmark = pytest.mark.django_db
INBOX = reverse("referrals:referral_inbox")
OUTBOX = reverse("referrals:referral_outbox")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _detail(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.pk])


def test_the_inbox_lists_referrals_to_the_agency_and_flags_the_overdue() -> None:
    world = f.loop()
    fresh = f.send(world)
    late = f.at(f.send(world, with_consent=False), respond_by=f.hours_ago(2))
    body = _client(world.provider_staff).get(INBOX).content.decode()
    assert fresh.reference in body
    assert late.reference in body
    assert body.count('data-testid="overdue"') == 1
    only_late = _client(world.provider_staff).get(INBOX, {"overdue": "on"}).content.decode()
    assert late.reference in only_late
    assert fresh.reference not in only_late


def test_the_inbox_filters_by_status_urgency_service_type_and_reference() -> None:
    world = f.loop()
    urgent = f.send(world, urgency=ReferralUrgency.URGENT)
    routine = f.send(world, with_consent=False)
    routine = services.referral_accept(actor=world.provider_staff, referral=routine, version=routine.version)
    client = _client(world.receiver_worker)
    by_status = client.get(INBOX, {"status": "accepted"}).content.decode()
    assert routine.reference in by_status
    assert urgent.reference not in by_status
    by_urgency = client.get(INBOX, {"urgency": "urgent"}).content.decode()
    assert urgent.reference in by_urgency
    assert routine.reference not in by_urgency
    by_type = client.get(INBOX, {"service_type": "legal_aid"}).content.decode()
    assert 'data-testid="empty-state"' in by_type
    by_reference = client.get(INBOX, {"q": urgent.reference}).content.decode()
    assert urgent.reference in by_reference
    assert routine.reference not in by_reference


def test_the_outbox_shows_what_the_agency_sent_not_what_others_sent() -> None:
    world = f.loop()
    mine = f.send(world)
    other = f.loop()
    theirs = f.send(other)
    body = _client(world.sender.worker).get(OUTBOX).content.decode()
    assert mine.reference in body
    assert theirs.reference not in body


def test_an_outcome_overdue_referral_is_flagged_in_the_outbox() -> None:
    world = f.loop()
    referral = f.send(world)
    referral = services.referral_accept(
        actor=world.provider_staff, referral=referral, version=referral.version
    )
    f.at(referral, outcome_due_by=f.hours_ago(1))
    body = _client(world.sender.worker).get(OUTBOX, {"overdue": "on"}).content.decode()
    assert referral.reference in body
    assert "No outcome in time" in body


def test_a_childs_name_is_masked_for_provider_staff_and_shown_to_case_workers() -> None:
    child = {
        "full_name": "Lò Thị Mai",
        "birth_date": datetime.date.today().replace(year=datetime.date.today().year - 12),
    }
    world = f.loop(person_fields=child)
    referral = f.send(world)
    staff = _client(world.provider_staff)
    assert "Lò Thị Mai" not in staff.get(INBOX).content.decode()
    assert "Lò Thị Mai" not in staff.get(_detail(referral)).content.decode()
    assert "Lò Thị Mai" in _client(world.receiver_worker).get(INBOX).content.decode()


def test_list_queries_do_not_grow_with_the_rows(django_assert_max_num_queries) -> None:
    world = f.loop()
    f.send(world)
    client = _client(world.provider_staff)
    client.get(INBOX)
    for _ in range(8):
        f.send(world, with_consent=False)
    with django_assert_max_num_queries(12):
        assert client.get(INBOX).status_code == 200
    sender = _client(world.sender.worker)
    sender.get(OUTBOX)
    with django_assert_max_num_queries(12):
        assert sender.get(OUTBOX).status_code == 200


def test_the_detail_shows_the_minimum_dataset_not_the_case_and_is_audited() -> None:
    world = f.loop()
    case_factories.assessment(world.case)
    referral = f.send(world)
    response = _client(world.provider_staff).get(_detail(referral))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Thị Hoa" in body
    assert "Safety" in body
    assert 'data-testid="no-case-link"' in body
    assert world.case.reference not in body.split("no-case-link")[0][-400:]
    assert 'data-testid="form-accept"' in body
    assert 'data-testid="form-cancel"' not in body
    assert AuditEvent.objects.filter(
        action="view", object_id=str(referral.pk), actor=world.provider_staff
    ).exists()


def test_with_the_case_shared_the_receiver_gets_a_link_to_the_case() -> None:
    world = f.loop()
    referral = f.send(world)
    consent = referral.consent
    CaseAccess.objects.create(
        case=world.case,
        agency=world.receiver_agency,
        reason="Shared",
        consent=consent,
        granted_by=world.sender.worker,
        granted_at=referral.sent_at,
    )
    body = _client(world.receiver_worker).get(_detail(referral)).content.decode()
    assert 'data-testid="case-link"' in body


def test_steps_posted_from_the_page_move_the_referral_and_a_stale_one_keeps_the_input() -> None:
    world = f.loop()
    referral = f.send(world)
    url = reverse("referrals:referral_act", args=[referral.pk, "accept"])
    client = _client(world.provider_staff)
    response = client.post(url, {"accept-version": referral.version, "accept-note": "Bed ready"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    stale = client.post(
        reverse("referrals:referral_act", args=[referral.pk, "start_service"]),
        {"start_service-version": referral.version, "start_service-note": "Arrived today"},
    )
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    assert "Arrived today" in stale.content.decode()


def test_cancel_needs_the_confirmation_tick_and_a_reason() -> None:
    world = f.loop()
    referral = f.send(world)
    url = reverse("referrals:referral_act", args=[referral.pk, "cancel"])
    client = _client(world.sender.worker)
    refused = client.post(url, {"cancel-version": referral.version, "cancel-note": "Moved"})
    assert refused.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    done = client.post(
        url, {"cancel-version": referral.version, "cancel-note": "Moved", "cancel-confirm": "on"}
    )
    assert done.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CANCELLED


def test_refer_from_the_case_and_from_a_care_plan_action() -> None:
    world = f.loop()
    plan = case_factories.approved_plan(world.case)
    action = CarePlanAction.objects.get(goal__plan=plan)
    f.consent(world.case, agency=world.receiver_agency)
    client = _client(world.sender.worker)
    case_page = client.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert 'data-testid="refer-link"' in case_page
    assert 'data-testid="refer-action-link"' in case_page
    url = reverse("referrals:referral_new", args=[world.case.pk])
    form = client.get(url, {"action": str(action.pk)}).content.decode()
    assert "Find a shelter place" in form
    response = client.post(
        url,
        {
            "service": world.service.pk,
            "reason": "Counselling",
            "urgency": "urgent",
            "care_plan_action": action.pk,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.care_plan_action == action
    assert referral.urgency == "urgent"
    case_page = client.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert referral.reference in case_page


def test_refer_without_consent_shows_why_and_sends_nothing() -> None:
    world = f.loop()
    client = _client(world.sender.worker)
    response = client.post(
        reverse("referrals:referral_new", args=[world.case.pk]),
        {"service": world.service.pk, "reason": "Counselling", "urgency": "routine"},
    )
    assert response.status_code == 400
    assert "has not consented" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_justice_officer_cannot_refer() -> None:
    world = f.loop()
    officer = member(Role.JUSTICE_OFFICER, agency=world.sender.agency)
    response = _client(officer).get(reverse("referrals:referral_new", args=[world.case.pk]))
    assert response.status_code == 403


def test_a_step_no_longer_offered_says_why_on_top() -> None:
    world = f.loop()
    referral = f.send(world)
    services.referral_decline(
        actor=world.provider_staff, referral=referral, version=referral.version, reason="Full"
    )
    response = _client(world.provider_staff).post(
        reverse("referrals:referral_act", args=[referral.pk, "accept"]), {"accept-version": referral.version}
    )
    assert response.status_code == 400
    assert 'data-testid="refusals"' in response.content.decode()
