"""Browser journey in Chromium: a group handover of five people at the Móng Cái border gate.

The officer opens the reception sitting, registers five returnees, screens each with the intake
instrument, refers one to a shelter (the returnee consents), hands one to her mother and the others
to family or their commune, and completes the reception. Autosave is checked on the way: a ticked
answer and a typed name survive a reload, a change made while offline says "kept on this device"
and is sent when the connection returns. The sitting fits a 390 px phone without horizontal
scroll, and the strict CSP blocks nothing (no console errors).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, MembershipFactory
from shield.intake.tests.factories import gate_post
from shield.referrals.models import Referral, SupportDelivery
from shield.referrals.tests import directory_factories as directory
from shield.returns.models import Disposition, ReceptionMember, ReceptionStatus, ReturnStatus
from shield.returns.reception import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETURNEES = [
    ("Vàng Thị Mỷ", "Female", "2001"),
    ("Lò Thị Hoa", "Female", "2003"),
    ("Giàng Thị Sua", "Female", "1999"),
    ("Lò Văn Pao", "Male", "1998"),
    ("Sùng Thị Dợ", "Female", "2002"),
]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def card(page: Page, position: int) -> Locator:
    return page.locator(f"#member-{position}")


def saved(page: Page, position: int) -> None:
    expect(card(page, position).get_by_test_id("autosave-status")).to_have_text("Saved")


def screen(page: Page, position: int, outcome: str) -> None:
    card(page, position).get_by_label(outcome).check()
    card(page, position).get_by_test_id("record-screening").click()
    expect(card(page, position).get_by_test_id("screening-outcome")).to_contain_text(outcome)


def test_a_group_handover_of_five_at_mong_cai_in_one_sitting(live_server, page, chromium):
    base = live_server.url
    gate = gate_post("mong-cai", username="officer.mongcai")
    MembershipFactory(user=gate.officer, agency=gate.agency, role=Role.CASE_WORKER)
    event = services.reception_open(
        actor=gate.officer,
        border_gate=gate.agency.border_gate,
        country="CN",
        channel="bilateral",
        received_at=timezone.now(),
        foreign_authority="Dongxing Public Security",
    )
    shelter_agency = directory.agency_in("SHELTER-QN", "22")
    shelter = directory.shelter(directory.provider(shelter_agency, name="Trung tâm Bảo trợ Quảng Ninh"))
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sitting = f"{base}/returns/receptions/{event.pk}/sitting/"

    sign_in(page, base, "officer.mongcai")
    page.goto(sitting)
    expect(page.get_by_test_id("event-facts")).to_contain_text("Dongxing Public Security")
    register = page.get_by_test_id("register-form")
    for name, sex, year in RETURNEES:
        register.get_by_label("Full name").fill(name)
        register.get_by_label("Sex").select_option(label=sex)
        register.get_by_label("Year of birth").fill(year)
        register.get_by_test_id("register-add").click()
        page.wait_for_url(re.compile(r".*/sitting/(#member-\d+)?$"))
    expect(page.get_by_test_id("member-card")).to_have_count(5)

    # Autosave: a ticked answer is saved as it is ticked and is there after a reload.
    card(page, 1).get_by_label("Inconsistent story or papers").check()
    saved(page, 1)
    page.reload()
    expect(card(page, 1).get_by_label("Inconsistent story or papers")).to_be_checked()
    # Offline: the change is kept on this device and sent when the connection returns.
    page.context.set_offline(True)
    card(page, 1).get_by_label("A companion answers for the traveller").check()
    expect(card(page, 1).get_by_test_id("autosave-status")).to_have_text("Offline — kept on this device")
    page.context.set_offline(False)
    saved(page, 1)
    page.reload()
    expect(card(page, 1).get_by_label("A companion answers for the traveller")).to_be_checked()

    # The screenings: the first needs advice (her answers), the second is referred (a case opens).
    screen(page, 1, "Safe-migration advice given")
    screen(page, 2, "Referred for identification")
    for position in (3, 4, 5):
        screen(page, position, "No concern")

    # The second to the shelter: the refer page offers the directory's shelters.
    card(page, 2).get_by_test_id("refer").click()
    page.get_by_label(re.compile("Nhà tạm lánh Bình Yên")).check()
    page.get_by_label("Why refer the returnee").fill("Không có nơi ở an toàn, cần tạm lánh.")
    page.get_by_label("The returnee consents to being referred").check()
    page.get_by_test_id("send-referral").click()
    page.wait_for_url(re.compile(r".*/sitting/#member-2$"))
    expect(card(page, 2).get_by_test_id("member-done")).to_contain_text("Trung tâm Bảo trợ Quảng Ninh")

    # The first to her mother: the typed name is autosaved and survives a reload.
    card(page, 1).get_by_label("Handed to family").check()
    card(page, 1).get_by_label("Family member who received them (name, relationship)").fill("Mẹ, Vàng Thị Pà")
    saved(page, 1)
    page.reload()
    expect(card(page, 1).get_by_label("Family member who received them (name, relationship)")).to_have_value(
        "Mẹ, Vàng Thị Pà"
    )
    card(page, 1).get_by_test_id("hand-on").click()
    expect(card(page, 1).get_by_test_id("member-done")).to_contain_text("Mẹ, Vàng Thị Pà")

    card(page, 3).get_by_label("Handed to family").check()
    card(page, 3).get_by_label("Family member who received them (name, relationship)").fill(
        "Chồng, Thào A Sử"
    )
    card(page, 3).get_by_test_id("hand-on").click()
    expect(card(page, 3).get_by_test_id("member-done")).to_contain_text("Thào A Sử")

    # Given at once at the gate: travel home for the first returnee, as support delivered.
    support = card(page, 1).get_by_test_id("member-support-form")
    support.get_by_label("Unit").fill("ngày")
    support.get_by_label("Amount (VND)").fill("60000")
    support.get_by_test_id("member-support-submit").click()
    expect(card(page, 1).get_by_test_id("member-support-row")).to_have_count(1)

    # At phone width the sitting fits without horizontal scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    for position in (4, 5):
        card(page, position).get_by_label("Handed to the commune").check()
        card(page, position).get_by_label("Commune", exact=True).select_option(index=position - 2)
        card(page, position).get_by_test_id("hand-on").click()
        expect(card(page, position).get_by_test_id("member-done")).to_be_visible()

    page.get_by_label("Handover receipt number").fill("BB-12/2026")
    page.get_by_label("The receipt is signed now").check()
    page.get_by_test_id("complete-reception").click()
    expect(page.get_by_test_id("event-status")).to_have_text("Completed")

    event.refresh_from_db()
    assert event.status == ReceptionStatus.COMPLETED
    assert event.receipt_number == "BB-12/2026"
    members = list(ReceptionMember.objects.filter(event=event).select_related("return_record", "referral"))
    assert len(members) == 5
    assert all(m.return_record.status == ReturnStatus.RECEIVED for m in members)
    referral = Referral.objects.get()
    assert referral.service == shelter
    assert [m.position for m in members if m.disposition == Disposition.REFERRED] == [2]
    assert next(m for m in members if m.position == 2).referral == referral
    family = {m.position: m.handed_to for m in members if m.disposition == Disposition.FAMILY}
    assert family == {1: "Mẹ, Vàng Thị Pà", 3: "Chồng, Thào A Sử"}
    assert all(m.commune_id for m in members if m.disposition == Disposition.COMMUNE)
    given = SupportDelivery.objects.get()
    assert given.immediate
    assert given.person == members[0].return_record.person
    assert given.unit == "ngày"
    assert errors == []


def test_a_version_conflict_keeps_the_local_text_and_says_so(live_server, page, chromium):
    """Another officer saves the card in between: the autosave is refused (412), the text stays on
    this device and in the card after a reload, and saving with the button is a conscious choice."""
    base = live_server.url
    gate = gate_post("mong-cai", username="officer.conflict")
    event = services.reception_open(
        actor=gate.officer, border_gate=gate.agency.border_gate, country="CN", channel="bilateral",
        received_at=timezone.now(),
    )  # fmt: skip
    added = services.member_add(actor=gate.officer, event=event, full_name="Lò Thị Hoa", birth_year=2001)
    sign_in(page, base, "officer.conflict")
    page.goto(f"{base}/returns/receptions/{event.pk}/sitting/")
    # Meanwhile the card is saved from another device.
    services.member_save_draft(
        actor=gate.officer, member=added, version=added.version, draft={"answer_injury_fear": True}
    )
    status = card(page, 1).get_by_test_id("autosave-status")
    card(page, 1).get_by_label("Movement controlled").check()
    expect(status).to_contain_text("Someone else saved this returnee's card")
    page.reload()
    expect(card(page, 1).get_by_label("Movement controlled")).to_be_checked()
    expect(status).to_contain_text("Someone else saved this returnee's card")
    # Taking the saved card drops the local text; here the officer keeps hers and saves.
    expect(status.get_by_test_id("discard-local")).to_be_visible()
    card(page, 1).get_by_test_id("save-card").click()
    expect(page.get_by_role("status").filter(has_text="is saved")).to_be_visible()
    added.refresh_from_db()
    assert added.draft["answer_movement_controlled"] is True
