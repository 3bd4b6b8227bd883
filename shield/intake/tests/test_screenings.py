"""Screenings through the services and pages: drafts, autosave, versions, outcomes, referral, groups."""

import importlib
import re

import pytest
from django.urls import reverse

from shield.audit.models import AuditEvent
from shield.cases.models import Case, CaseStageChange, CaseType, Stage
from shield.core.errors import InvalidTransition, NotFound, PermissionRefused, StaleVersion, ValidationFailed
from shield.intake import services
from shield.intake.models import ReferralNotice, Screening, ScreeningInstrument, ScreeningStatus
from shield.intake.risk import Outcome, RiskLevel
from shield.intake.tests.factories import draft, gate_post
from shield.people.models import IdentityDocument, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate():
    return gate_post()


def autosave(client, screening, version=None, **fields):
    data = {"version": version or screening.version, "direction": "exit", **fields}
    return client.post(
        reverse("intake:screening_autosave", args=[screening.pk]), data, HTTP_HX_REQUEST="true"
    )


def test_a_draft_starts_at_the_officers_gate_with_the_newest_instrument(gate):
    screening = services.screening_start(actor=gate.officer)
    assert screening.border_gate == gate.agency.border_gate
    assert screening.instrument == ScreeningInstrument.objects.get(code="border-gate", version=1)
    assert screening.status == ScreeningStatus.DRAFT


def test_autosave_keeps_what_was_typed_and_it_survives_a_reload(client, gate):
    screening = draft(gate.officer)
    client.force_login(gate.officer)
    response = autosave(client, screening, traveller_name="Lò Thị Mai", answer_companion_answers="on")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body
    assert 'value="2"' in body  # the new version comes back for the next save
    assert "A companion answers for the traveller" in body  # the live risk names the answer
    # A reload (a closed tab, a lost connection) shows the draft as saved.
    page = client.get(reverse("intake:screening_detail", args=[screening.pk])).content.decode()
    assert 'value="Lò Thị Mai"' in page
    assert re.search(r"<input[^>]*name=\"answer_companion_answers\"[^>]*checked", page)
    screening.refresh_from_db()
    assert screening.answers == {"companion_answers": True}
    assert screening.version == 2


def test_a_stale_autosave_is_refused_and_changes_nothing(client, gate):
    screening = draft(gate.officer, traveller_name="First")
    client.force_login(gate.officer)
    response = autosave(client, screening, version=1, traveller_name="Second")  # stored is 2
    assert "Someone else changed this record" in response.content.decode()
    screening.refresh_from_db()
    assert screening.traveller_name == "First"


def test_the_edit_conflict_message_shows_once_on_the_draft(client, gate):
    screening = draft(gate.officer, traveller_name="First")
    client.force_login(gate.officer)
    body = autosave(client, screening, version=1, traveller_name="Second").content.decode()
    assert body.count("Someone else changed this record") == 1


def test_an_invalid_field_is_reported_and_the_valid_ones_saved(client, gate):
    screening = draft(gate.officer)
    client.force_login(gate.officer)
    response = autosave(client, screening, traveller_name="Vàng A Sử", traveller_birth_date="31/02/2001")
    assert "Enter a valid date" in response.content.decode()
    screening.refresh_from_db()
    assert screening.traveller_name == "Vàng A Sử"


def test_only_the_officer_who_started_a_draft_may_change_it(gate):
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    colleague = member(Role.FRONTLINE_OFFICER, agency=gate.agency)
    screening = draft(gate.officer)
    # A colleague does not even see someone else's draft.
    with pytest.raises(NotFound):
        services.screening_save_draft(actor=colleague, screening=screening, expected_version=1, data={})


def test_a_no_concern_screening_completes_without_a_referral(gate):
    screening = draft(gate.officer, traveller_name="Trần Văn Nam", purpose="tourism")
    done = services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.NO_CONCERN,
    )
    assert done.status == ScreeningStatus.COMPLETED
    assert done.risk_level == RiskLevel.NONE
    assert done.case is None
    assert Case.objects.count() == 0


def test_the_outcome_may_not_ask_less_than_a_strong_indicator(gate):
    screening = draft(gate.officer, answers={"documents_held": True})
    with pytest.raises(ValidationFailed) as caught:
        services.screening_complete(
            actor=gate.officer,
            screening=screening,
            expected_version=screening.version,
            outcome=Outcome.ADVICE,
        )
    assert "outcome" in caught.value.field_errors
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.DRAFT


def test_a_child_moved_for_work_needs_urgent_protection(gate):
    screening = draft(gate.officer, traveller_name="Giàng Thị Dua", traveller_age=15, purpose="work")
    with pytest.raises(ValidationFailed):
        services.screening_complete(
            actor=gate.officer,
            screening=screening,
            expected_version=screening.version,
            outcome=Outcome.REFERRED,
            receiving_agency=gate.receiver,
        )
    done = services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.CHILD_PROTECTION,
        receiving_agency=gate.receiver,
    )
    assert done.risk_level == RiskLevel.CRITICAL
    assert done.risk_reasons[0]["code"] == "child_rule"
    assert ReferralNotice.objects.get(case=done.case).urgent


def test_referral_registers_the_person_opens_the_case_and_notifies_in_one_go(gate):
    screening = draft(
        gate.officer,
        traveller_name="Nguyễn Thị Hoa",
        traveller_sex="female",
        traveller_age=24,
        document_kind="passport",
        document_number="C1234567",
        document_country="VN",
        answers={"movement_controlled": True, "online_offer": True},
    )
    done = services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.REFERRED,
        receiving_agency=gate.receiver,
    )
    person = Person.objects.get()
    assert person.full_name == "Nguyễn Thị Hoa"
    assert person.owner_agency == gate.agency
    assert IdentityDocument.objects.get(person=person).number == "C1234567"
    case = Case.objects.get()
    assert case.person == person
    assert case.owner_agency == gate.receiver
    assert case.case_type == CaseType.UNDERGOING_IDENTIFICATION
    assert case.stage == Stage.UNDERGOING_IDENTIFICATION
    assert case.reported_at == screening.started_at
    assert CaseStageChange.objects.filter(case=case, to_stage=Stage.UNDERGOING_IDENTIFICATION).exists()
    assert (done.case, done.person, done.receiving_agency) == (case, person, gate.receiver)
    notice = ReferralNotice.objects.get()
    assert (notice.agency, notice.case, notice.screening) == (gate.receiver, case, done)
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    "failing", ["shield.cases.services.referrals.case_open_on_referral", "shield.intake.services._notify"]
)
def test_a_failed_referral_keeps_nothing(gate, monkeypatch, failing):
    screening = draft(gate.officer, traveller_name="Lê Văn Tùng", answers={"injury_fear": True})
    module, name = failing.rsplit(".", 1)

    def boom(**kwargs):
        raise RuntimeError("the network went down half-way")

    monkeypatch.setattr(importlib.import_module(module), name, boom)
    with pytest.raises(RuntimeError):
        services.screening_complete(
            actor=gate.officer,
            screening=screening,
            expected_version=screening.version,
            outcome=Outcome.REFERRED,
            receiving_agency=gate.receiver,
        )
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0
    assert ReferralNotice.objects.count() == 0
    screening.refresh_from_db()
    assert (screening.status, screening.case_id, screening.version) == (ScreeningStatus.DRAFT, None, 2)


def test_referral_to_an_agency_without_case_workers_is_refused(gate):
    from shield.accounts.tests.factories import AgencyFactory

    empty = AgencyFactory.create()
    screening = draft(gate.officer, traveller_name="Lê Văn Tùng", answers={"injury_fear": True})
    with pytest.raises(ValidationFailed) as caught:
        services.screening_complete(
            actor=gate.officer,
            screening=screening,
            expected_version=screening.version,
            outcome=Outcome.REFERRED,
            receiving_agency=empty,
        )
    assert "receiving_agency" in caught.value.field_errors
    assert Person.objects.count() == 0


def test_referral_links_an_existing_person_instead_of_registering_again(gate):
    from shield.people import services as people_services

    known = people_services.person_register(
        actor=gate.officer, owner_agency=gate.agency, full_name="Hà Thị Lan", sex="female"
    )
    screening = draft(gate.officer, traveller_name="HA THI LAN", answers={"documents_held": True})
    done = services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.REFERRED,
        receiving_agency=gate.receiver,
        person=known,
    )
    assert done.person == known
    assert Person.objects.count() == 1


def test_completing_with_a_stale_version_is_refused(gate):
    screening = draft(gate.officer, traveller_name="A")
    with pytest.raises(StaleVersion):
        services.screening_complete(
            actor=gate.officer, screening=screening, expected_version=1, outcome=Outcome.NO_CONCERN
        )


def test_a_completed_screening_cannot_be_changed(gate):
    screening = draft(gate.officer)
    services.screening_complete(
        actor=gate.officer, screening=screening, expected_version=1, outcome="no_concern"
    )
    with pytest.raises(InvalidTransition):
        services.screening_save_draft(actor=gate.officer, screening=screening, expected_version=2, data={})


def test_people_travelling_together_are_screened_as_a_linked_group(client, gate):
    first = draft(
        gate.officer, traveller_name="Mẹ", destination_country="CN", purpose="work", recruiter="Cty ABC"
    )
    second = services.screening_add_companion(actor=gate.officer, screening=first)
    third = services.screening_add_companion(actor=gate.officer, screening=second)
    first.refresh_from_db()
    assert first.group_id is not None
    assert first.group_id == second.group_id == third.group_id
    assert (str(second.destination_country), second.purpose, second.recruiter) == ("CN", "work", "Cty ABC")
    assert second.traveller_name == ""
    client.force_login(gate.officer)
    page = client.get(reverse("intake:screening_detail", args=[second.pk])).content.decode()
    assert "Travelling together" in page
    assert "Mẹ" in page


def test_discarding_asks_first_and_keeps_the_draft(client, gate):
    screening = draft(gate.officer)
    client.force_login(gate.officer)
    url = reverse("intake:screening_discard", args=[screening.pk])
    assert "Discard this draft?" in client.get(url).content.decode()
    assert Screening.objects.get().status == ScreeningStatus.DRAFT
    response = client.post(url, {"version": screening.version})
    assert response.status_code == 302
    assert Screening.objects.get().status == ScreeningStatus.DISCARDED


def test_the_complete_page_flow_ends_in_a_referral(client, gate):
    screening = draft(gate.officer)
    client.force_login(gate.officer)
    response = client.post(
        reverse("intake:screening_complete", args=[screening.pk]),
        {
            "version": screening.version,
            "direction": "exit",
            "traveller_name": "Phạm Thị Thu",
            "traveller_sex": "female",
            "traveller_birth_date": "02/03/2000",
            "answer_documents_held": "on",
            "outcome": "referred",
            "receiving_agency": str(gate.receiver.pk),
            "existing_person": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    screening.refresh_from_db()
    assert screening.case.stage == Stage.UNDERGOING_IDENTIFICATION
    detail = client.get(response["Location"]).content.decode()
    assert screening.case.reference in detail
    assert "Documents held by someone else" in detail


def test_the_complete_page_shows_a_refusal_on_the_form_and_loses_nothing(client, gate):
    screening = draft(gate.officer)
    client.force_login(gate.officer)
    response = client.post(
        reverse("intake:screening_complete", args=[screening.pk]),
        {
            "version": 1,
            "direction": "exit",
            "traveller_name": "Kept Name",
            "answer_injury_fear": "on",
            "outcome": "no_concern",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "this outcome asks less" in body
    assert 'value="Kept Name"' in body


def test_the_receiving_agency_sees_the_referral_on_its_home_page_and_can_read_why(client, gate):
    screening = draft(gate.officer, traveller_name="Đỗ Thị Hằng", answers={"documents_held": True})
    services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=2,
        outcome="referred",
        receiving_agency=gate.receiver,
    )
    client.force_login(gate.case_worker)
    home = client.get(reverse("home")).content.decode()
    assert "New referrals to your agency" in home
    case = Case.objects.get()
    assert case.reference in home
    detail = client.get(reverse("intake:screening_detail", args=[screening.pk]))
    assert detail.status_code == 200
    assert "Documents held by someone else" in detail.content.decode()
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Where this case came from" in case_page
    assert reverse("intake:screening_detail", args=[screening.pk]) in case_page
    notice = ReferralNotice.objects.get()
    client.post(reverse("intake:notice_acknowledge", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.acknowledged_by == gate.case_worker
    assert "New referrals to your agency" not in client.get(reverse("home")).content.decode()


def test_the_gate_sees_its_recent_screenings_and_outcomes(client, gate):
    screening = draft(gate.officer, traveller_name="X")
    services.screening_complete(
        actor=gate.officer, screening=screening, expected_version=2, outcome="no_concern"
    )
    other = gate_post("mong-cai")
    elsewhere = draft(other.officer, traveller_name="Y")
    services.screening_complete(
        actor=other.officer, screening=elsewhere, expected_version=2, outcome="no_concern"
    )
    client.force_login(gate.officer)
    home = client.get(reverse("home")).content.decode()
    assert "Recent screenings at your gate" in home
    listing = client.get(reverse("intake:screening_list")).content.decode()
    assert "No concern" in listing
    assert elsewhere.border_gate.name not in listing.split('data-testid="screening-table"')[1]


def test_a_frontline_officer_may_not_refer_without_cases_refer(gate, monkeypatch):
    from shield.accounts import roles

    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS,
        roles.Role.FRONTLINE_OFFICER,
        roles.ROLE_PERMISSIONS[roles.Role.FRONTLINE_OFFICER] - {"cases.refer"},
    )
    screening = draft(gate.officer, traveller_name="Z", answers={"injury_fear": True})
    officer = type(gate.officer).objects.get(pk=gate.officer.pk)
    with pytest.raises(PermissionRefused):
        services.screening_complete(
            actor=officer,
            screening=screening,
            expected_version=2,
            outcome="referred",
            receiving_agency=gate.receiver,
        )
    assert Case.objects.count() == 0


def test_a_name_searched_in_the_screening_list_leaves_the_url_and_the_audit_keeps_only_hashes(client, gate):
    from shield.audit.models import AuditAction
    from shield.audit.search_terms import keys_of
    from shield.people.tests.factories import audit_text

    services.screening_complete(
        actor=gate.officer,
        screening=draft(gate.officer, traveller_name="Lường Thị Ánh"),
        expected_version=2,
        outcome="no_concern",
    )
    client.force_login(gate.officer)

    moved = client.get(reverse("intake:screening_list"), {"q": "Lường Thị Ánh"})

    assert moved.status_code == 303
    assert re.fullmatch(r"/intake/screenings/\?s=[\w-]+", moved["Location"])
    listing = client.get(moved["Location"]).content.decode()
    assert "Lường Thị Ánh" in listing
    event = AuditEvent.objects.get(
        action=AuditAction.LIST, actor=gate.officer, object_type="intake.screening"
    )
    assert event.details == {"filters": ["q"], "search": " ".join(keys_of("luong thi anh"))}  # folded alike
    assert "luong" not in audit_text().lower()
    assert "Lường" not in audit_text()


def test_the_screening_summary_shows_sex_a_readable_destination_and_questions_without_a_colon(client, gate):
    screening = draft(
        gate.officer,
        direction="exit",
        traveller_name="Lò Thị Mai",
        traveller_sex="female",
        destination_country="CN",
        destination_place="Quảng Tây",
        answers={"who_paid": "family"},
    )
    done = services.screening_complete(
        actor=gate.officer,
        screening=screening,
        expected_version=screening.version,
        outcome=Outcome.NO_CONCERN,
    )
    client.force_login(gate.officer)
    page = client.get(reverse("intake:screening_detail", args=[done.pk])).content.decode()
    assert re.search(r'data-testid="traveller-sex">Female<', page)
    assert re.search(r'data-testid="destination">Quảng Tây, China<', page)
    assert "Who paid for the journey? <strong>Family</strong>" in page
    assert "?:" not in page
