"""Every act listed in issue 14 raises its notification through notify(): to the right people, never
to the actor, never to another agency, with no name in what is stored."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import services as case_services
from shield.cases.models import ConsentScope
from shield.cases.tests import factories as f
from shield.intake import services as intake_services
from shield.intake.risk import Outcome
from shield.intake.tests.factories import draft, gate_post, tip
from shield.linkage import services as linkage_services
from shield.linkage.tests.factories import home_agency, registered
from shield.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoa"


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def assert_no_name(*names):
    for n in Notification.objects.all():
        stored = json.dumps(n.params, ensure_ascii=False) + n.url
        for name in names:
            assert name not in stored


@pytest.fixture
def transfer_setup():
    sender, receiver, bystander = f.team(), f.team(), f.team()
    case = f.open_case(actor=sender.worker)
    case_services.consent_record(
        actor=sender.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=receiver.agency,
        given_by="person",
        given_on=timezone.localdate(),
    )
    transfer = case_services.transfer_request(
        actor=sender.worker, case=case, to_agency=receiver.agency, reason="Moved to An Giang"
    )
    return sender, receiver, bystander, case, transfer


def test_a_transfer_request_notifies_the_receiving_agencys_case_workers_and_supervisors(transfer_setup):
    sender, receiver, bystander, case, _transfer = transfer_setup
    assert recipients(Kind.TRANSFER_REQUESTED) == {receiver.worker.username, receiver.supervisor.username}
    n = Notification.objects.get(recipient=receiver.worker)
    assert n.params == {"reference": case.reference, "agency": sender.agency.code}
    assert n.url == reverse("cases:case_detail", kwargs={"case_id": case.pk})
    assert not Notification.objects.filter(recipient__in=[sender.worker, bystander.worker]).exists()
    assert_no_name(case.person.full_name, "Moved to An Giang")


def test_an_accepted_transfer_notifies_the_sending_side_but_not_the_one_who_accepted(transfer_setup):
    sender, receiver, _bystander, _case, transfer = transfer_setup
    case_services.transfer_accept(actor=receiver.worker, transfer=transfer)
    answered = Notification.objects.filter(kind=Kind.TRANSFER_ANSWERED)
    assert recipients(Kind.TRANSFER_ANSWERED) == {sender.worker.username, sender.supervisor.username}
    assert {n.params["outcome"] for n in answered} == {"accepted"}
    assert not answered.filter(recipient=receiver.worker).exists()


def test_a_declined_transfer_notifies_the_sending_side(transfer_setup):
    sender, receiver, _bystander, _case, transfer = transfer_setup
    case_services.transfer_decline(actor=receiver.supervisor, transfer=transfer, note="No place")
    assert recipients(Kind.TRANSFER_ANSWERED) == {sender.worker.username, sender.supervisor.username}
    assert_no_name("No place")


def test_a_cancelled_transfer_tells_the_receiving_agency_and_not_the_canceller(transfer_setup):
    sender, receiver, _bystander, _case, transfer = transfer_setup
    case_services.transfer_cancel(actor=sender.worker, transfer=transfer)
    assert recipients(Kind.TRANSFER_ANSWERED) == {receiver.worker.username, receiver.supervisor.username}
    # The receiving agency no longer sees the case: the link leads to its notifications instead.
    assert set(Notification.objects.filter(kind=Kind.TRANSFER_ANSWERED).values_list("url", flat=True)) == {
        reverse("notifications:list")
    }


def _submitted(team):
    case = f.open_case(actor=team.worker)
    f.assessment(case, by=team.worker)
    plan = case_services.care_plan_create(actor=team.worker, case=case)
    goal = case_services.care_plan_goal_add(
        actor=team.worker, plan=plan, description="Safe housing", domain="safety", expected_version=1
    )
    case_services.care_plan_action_add(
        actor=team.worker,
        goal=goal,
        description="Place in the Peaceful House",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        responsible_agency=team.agency,
        expected_version=2,
    )
    return case, case_services.care_plan_submit(actor=team.worker, plan=plan, expected_version=3)


def test_a_submitted_care_plan_notifies_the_agencys_supervisors_only():
    team, other = f.team(), f.team()
    second_supervisor = member(Role.SUPERVISOR, agency=team.agency)
    case, _plan = _submitted(team)
    assert recipients(Kind.CARE_PLAN_SUBMITTED) == {team.supervisor.username, second_supervisor.username}
    assert not Notification.objects.filter(recipient=other.supervisor).exists()
    assert_no_name(case.person.full_name, "Safe housing", "Place in the Peaceful House")


def test_an_approved_or_returned_plan_notifies_its_submitter():
    team = f.team()
    _case, plan = _submitted(team)
    case_services.care_plan_return(
        actor=team.supervisor, plan=plan, expected_version=plan.version, note="More"
    )
    returned = Notification.objects.get(kind=Kind.CARE_PLAN_ANSWERED)
    assert (returned.recipient, returned.params["outcome"]) == (team.worker, "returned")
    assert_no_name("More")
    plan.refresh_from_db()
    plan = case_services.care_plan_submit(actor=team.worker, plan=plan, expected_version=plan.version)
    case_services.care_plan_approve(actor=team.supervisor, plan=plan, expected_version=plan.version)
    assert Notification.objects.filter(
        kind=Kind.CARE_PLAN_ANSWERED, recipient=team.worker, params__outcome="approved"
    ).exists()
    assert not Notification.objects.filter(kind=Kind.CARE_PLAN_ANSWERED, recipient=team.supervisor).exists()


def test_a_closure_request_and_its_answer_notify_supervisors_then_the_requester():
    team = f.team()
    case = f.put_at(f.open_case(actor=team.worker), "reintegration")
    request = case_services.closure_request(actor=team.worker, case=case, reason="Reintegrated well")
    assert recipients(Kind.CLOSURE_SUBMITTED) == {team.supervisor.username}
    case_services.closure_return(actor=team.supervisor, request=request, note="Follow-up visit first")
    answer = Notification.objects.get(kind=Kind.CLOSURE_ANSWERED)
    assert (answer.recipient, answer.params["outcome"]) == (team.worker, "returned")
    assert_no_name("Reintegrated well", "Follow-up visit first", case.person.full_name)


def test_a_tip_assigned_to_an_agency_notifies_its_tip_triagers():
    hotline_agency = AgencyFactory.create(province=province("01"))
    hotline = member(Role.CASE_WORKER, agency=hotline_agency)
    elsewhere = AgencyFactory.create(province=province("79"))
    triager = member(Role.FRONTLINE_OFFICER, agency=elsewhere)
    no_tips = member(Role.JUSTICE_OFFICER, agency=elsewhere)
    recorded = tip(hotline, reporter_name="Trần Văn Báo")
    intake_services.tip_assign(actor=hotline, tip=recorded, expected_version=1, agency=elsewhere)
    assert recipients(Kind.TIP_ASSIGNED) == {triager.username}
    n = Notification.objects.get()
    assert n.params == {"reference": recorded.reference}
    assert n.url == reverse("intake:tip_detail", kwargs={"tip_id": recorded.pk})
    assert no_tips.username not in recipients(Kind.TIP_ASSIGNED)
    assert_no_name("Trần Văn Báo", "Một cô gái")


def test_a_screening_referral_notifies_the_receiving_agency_not_the_officer():
    gate = gate_post()
    screening = draft(
        gate.officer,
        traveller_name=NAME,
        traveller_sex="female",
        traveller_age=24,
        document_kind="passport",
        document_number="C1234567",
        document_country="VN",
        answers={"movement_controlled": True, "online_offer": True},
    )
    intake_services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.REFERRED,
        receiving_agency=gate.receiver,
    )
    assert recipients(Kind.SCREENING_REFERRAL) == {gate.case_worker.username}
    assert Notification.objects.get().params["source"] == "screening"
    assert_no_name(NAME)


def test_a_linkage_run_with_pairs_for_review_notifies_each_reviewer_once_with_the_count():
    police, shelter = home_agency("police-hn", "01"), home_agency("shelter-hcm", "79")
    reviewer = member(Role.SUPERVISOR, agency=police)
    not_reviewer = member(Role.CASE_WORKER, agency=police)
    hue = province("46")
    for name, agency, year in [("Lê Minh Tuấn", police, 1990), ("Lê Tuấn", shelter, 1992)]:
        registered(
            name,
            agency=agency,
            born=datetime.date(year, 1, 1),
            birth_date_precision="year",
            sex="male",
            home_province=hue,
        )
    run = linkage_services.run_execute(run=linkage_services.run_create(actor=None))
    assert run.review_pair_count >= 1
    mine = Notification.objects.filter(kind=Kind.LINKAGE_PAIRS_WAITING, recipient=reviewer)
    assert mine.count() == 1
    assert mine.get().params == {"count": run.review_pair_count}
    assert not Notification.objects.filter(recipient=not_reviewer).exists()
    assert_no_name("Lê Minh Tuấn", "Lê Tuấn")


def test_a_notification_never_goes_to_the_actor_even_when_they_hold_the_permission():
    team = f.team()
    lead = member(Role.SUPERVISOR, agency=team.agency)  # holds cases.supervise and asks for the closure
    case2 = f.open_case(actor=team.worker)
    case_services.closure_request(actor=lead, case=f.put_at(case2, "reintegration"), reason="Done")
    assert lead.username not in recipients(Kind.CLOSURE_SUBMITTED)
    assert team.supervisor.username in recipients(Kind.CLOSURE_SUBMITTED)
