"""The group reception sitting: one page for a handover, plain forms without JavaScript, the
autosave endpoint, a referral from the sitting (`member_refer`) and the permission matrix."""

import json
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shield.accounts.models import User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import MembershipFactory, member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditAction, AuditEvent
from shield.cases.models import Consent, ConsentScope
from shield.core.errors import InvalidTransition, StaleVersion, ValidationFailed
from shield.intake.tests.factories import Gate, gate_post
from shield.people.tests.factories import person as new_person
from shield.referrals.models import Provider, Referral, Service
from shield.referrals.tests import directory_factories as directory
from shield.returns.models import Disposition, ReceptionEvent, ReceptionMember, ReceptionStatus
from shield.returns.reception import services

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(ReceptionEvent, ReceptionMember, Referral, Consent)
KNOWN = "Vàng Thị Mỷ"


@dataclass
class Sitting:
    gate: Gate
    officer: User
    event: ReceptionEvent
    shelter: Service

    def url(self, name: str = "", member: ReceptionMember | None = None) -> str:
        if member is None:
            return reverse(f"returns:reception_sitting{name}", args=[self.event.pk])
        return reverse(f"returns:reception_sitting{name}", args=[self.event.pk, member.pk])


def sitting_at_mong_cai() -> Sitting:
    gate = gate_post("mong-cai")
    # The officer of the sitting screens (frontline officer) and refers (case worker) at the post.
    MembershipFactory(user=gate.officer, agency=gate.agency, role=Role.CASE_WORKER)
    assert gate.agency.border_gate is not None
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
    return Sitting(gate=gate, officer=gate.officer, event=event, shelter=shelter)


@pytest.fixture
def s() -> Sitting:
    return sitting_at_mong_cai()


def _add(s: Sitting, name: str, year: int = 2001) -> ReceptionMember:
    return services.member_add(actor=s.officer, event=s.event, full_name=name, sex="female", birth_year=year)


def _fresh(m: ReceptionMember) -> ReceptionMember:
    return ReceptionMember.objects.select_related("return_record", "screening", "event").get(pk=m.pk)


def _screen(s: Sitting, m: ReceptionMember, outcome: str = "no_concern") -> ReceptionMember:
    m = _fresh(m)
    return services.member_screen(actor=s.officer, member=m, version=m.version, outcome=outcome)


def test_the_sitting_page_shows_the_event_and_one_card_per_member(s, client: Client):
    _add(s, "Lò Thị Hoa")
    _add(s, "Giàng Thị Sua")
    client.force_login(s.officer)
    page = client.get(s.url())
    body = page.content.decode()
    assert page.status_code == 200
    assert s.event.reference in body
    assert "Dongxing Public Security" in body
    assert body.count('data-testid="member-card"') == 2
    assert "Lò Thị Hoa" in body
    assert "Giàng Thị Sua" in body
    assert 'name="answer_documents_held"' in body  # the intake instrument's questions
    assert "returns/reception.js" in body
    assert "<script>" not in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(s.event.pk)).exists()


def test_without_javascript_a_returnee_is_added_screened_handed_on_and_the_reception_completed(s, client):
    known = new_person(full_name=KNOWN, actor=s.officer, owner_agency=s.gate.agency)
    client.force_login(s.officer)
    found = client.get(s.url(), {"q": "Vàng Mỷ"}).content.decode()
    assert KNOWN in found
    assert 'data-testid="add-found"' in found
    added = client.post(s.url("_add"), {"person": str(known.pk)})
    assert added.status_code == 302
    assert added["Location"].endswith("#member-1")
    registered = client.post(
        s.url("_add"), {"full_name": "Lò Thị Hoa", "sex": "female", "birth_year": "2002"}
    )
    assert registered.status_code == 302
    refused = client.post(s.url("_add"), {"full_name": " ", "birth_year": "2999"})
    assert refused.status_code == 400
    first, second = ReceptionMember.objects.filter(event=s.event).order_by("position")
    assert first.return_record.person == known

    saved = client.post(
        s.url("_member", first), {"version": first.version, "action": "draft", "answer_job_deception": "on"}
    )
    assert saved.status_code == 302
    first.refresh_from_db()
    assert first.draft["answer_job_deception"] is True
    assert 'id="id_1_answer_job_deception" checked' in (client.get(s.url()).content.decode())

    screened = client.post(
        s.url("_member", first),
        {
            "version": first.version,
            "action": "screen",
            "outcome": "safe_migration_advice",
            "answer_job_deception": "on",
        },
    )
    assert screened.status_code == 302
    first = _fresh(first)
    assert first.screening.status == "completed"
    assert first.screening.answers == {"job_deception": True}

    no_who = client.post(
        s.url("_member", first), {"version": first.version, "action": "dispose", "disposition": "family"}
    )
    assert no_who.status_code == 400
    assert "Say who in the family received them." in no_who.content.decode()
    handed = client.post(
        s.url("_member", first),
        {
            "version": first.version,
            "action": "dispose",
            "disposition": "family",
            "handed_to": "Mẹ, Vàng Thị Pà",
        },
    )
    assert handed.status_code == 302
    first.refresh_from_db()
    assert (first.disposition, first.handed_to) == (Disposition.FAMILY, "Mẹ, Vàng Thị Pà")

    incomplete = client.post(s.url("_complete"), {"version": s.event.version, "receipt_number": "BB-1"})
    assert incomplete.status_code == 400
    assert "Returnees not yet handed on: 2." in incomplete.content.decode()
    second = _screen(s, second)
    commune = s.event.border_gate.province.communes.order_by("code").first()
    to_commune = client.post(
        s.url("_member", second),
        {
            "version": second.version,
            "action": "dispose",
            "disposition": "commune",
            "province": s.event.border_gate.province.code,
            "commune": commune.code,
        },
    )
    assert to_commune.status_code == 302
    s.event.refresh_from_db()
    done = client.post(
        s.url("_complete"), {"version": s.event.version, "receipt_number": "BB-1", "receipt_signed": "on"}
    )
    assert done.status_code == 302
    s.event.refresh_from_db()
    assert s.event.status == ReceptionStatus.COMPLETED
    assert s.event.receipt_signed_at is not None
    after = client.get(s.url()).content.decode()
    assert "data-sitting-card" not in after
    assert after.count('data-testid="member-done"') == 2


def test_a_stale_card_is_refused_with_a_message_and_what_was_typed_is_shown_again(s, client):
    m = _add(s, "Lò Thị Hoa")
    opened = m.version
    services.member_save_draft(
        actor=s.officer, member=_fresh(m), version=opened, draft={"answer_injury_fear": True}
    )
    client.force_login(s.officer)
    stale = client.post(
        s.url("_member", m), {"version": opened, "action": "draft", "answer_recruiter_debt": "on"}
    )
    body = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else saved this returnee&#x27;s card after you opened it." in body
    assert 'id="id_1_answer_recruiter_debt" checked' in body  # nothing lost
    assert f'name="version" value="{opened + 1}"' in body  # saving again is a conscious choice
    m.refresh_from_db()
    assert m.draft == {"answer_injury_fear": True}


def _draft(client, s, m, draft, version=None, **headers):
    extra = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    extra.update(headers)
    return client.post(
        s.url("_draft", m), data=json.dumps({"draft": draft}), content_type="application/json", **extra
    )


def test_the_autosave_endpoint_saves_refuses_stale_and_unversioned_drafts_and_the_card_is_prefilled(
    s, client
):
    m = _add(s, "Lò Thị Hoa")
    client.force_login(s.officer)
    ok = _draft(
        client, s, m, {"answer_movement_controlled": True, "handed_to": "Chị gái", "junk": "x"}, m.version
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == m.version + 1
    assert ok["ETag"] == f'"{m.version + 1}"'
    m.refresh_from_db()
    assert m.draft == {"answer_movement_controlled": True, "handed_to": "Chị gái"}
    stale = _draft(client, s, m, {"handed_to": "Other"}, m.version - 1)
    assert stale.status_code == 412
    assert stale.json()["version"] == m.version
    assert _draft(client, s, m, {"handed_to": "Other"}).status_code == 428
    assert _draft(client, s, m, {"handed_to": "x" * 501}, m.version).status_code == 400
    assert _draft(client, s, m, ["not", "a", "mapping"], m.version).status_code == 400
    m.refresh_from_db()
    assert m.draft["handed_to"] == "Chị gái"
    page = client.get(s.url()).content.decode()
    assert 'id="id_1_answer_movement_controlled" checked' in page


def test_the_communes_of_a_province_are_listed_for_the_card(s, client):
    client.force_login(s.officer)
    province = s.event.border_gate.province
    answer = client.get(s.url("_communes"), {"province": province.code}).json()
    assert len(answer["communes"]) == province.communes.count() > 0


def test_member_refer_records_the_consent_sends_the_referral_and_hands_the_returnee_on(s):
    m = _add(s, "Lò Thị Hoa")
    with pytest.raises(InvalidTransition):  # no case yet: screened without a referral outcome
        services.member_refer(
            actor=s.officer, member=_fresh(m), version=m.version, provider=s.shelter.provider,
            service=s.shelter, reason="Cần nơi ở an toàn", urgency="urgent", consent=True,
        )  # fmt: skip
    m = _fresh(_screen(s, m, outcome="referred"))
    assert m.return_record.case_id is not None
    with pytest.raises(ValidationFailed):  # neither consent nor an override
        services.member_refer(
            actor=s.officer, member=_fresh(m), version=m.version, provider=s.shelter.provider,
            service=s.shelter, reason="Cần nơi ở an toàn", urgency="urgent",
        )  # fmt: skip
    with pytest.raises(StaleVersion):
        services.member_refer(
            actor=s.officer, member=_fresh(m), version=m.version - 1, provider=s.shelter.provider,
            service=s.shelter, reason="Cần nơi ở an toàn", urgency="urgent", consent=True,
        )  # fmt: skip
    assert not Referral.objects.exists()
    assert not Consent.objects.exists()
    m = services.member_refer(
        actor=s.officer, member=_fresh(m), version=m.version, provider=s.shelter.provider,
        service=s.shelter, reason="Cần nơi ở an toàn", urgency="urgent", consent=True,
    )  # fmt: skip
    referral = Referral.objects.get()
    assert (m.disposition, m.referral) == (Disposition.REFERRED, referral)
    assert referral.service == s.shelter
    assert referral.case_id == m.return_record.case_id
    consent = Consent.objects.get()
    assert (consent.scope, consent.shared_with_agency) == (
        ConsentScope.SHARE_WITH_AGENCY,
        s.shelter.provider.agency,
    )
    assert referral.consent == consent
    with pytest.raises(InvalidTransition):
        services.member_refer(
            actor=s.officer, member=_fresh(m), version=m.version, provider=s.shelter.provider,
            service=s.shelter, reason="again", urgency="urgent", consent=True,
        )  # fmt: skip


def test_the_refer_page_lists_shelters_and_refers_from_the_sitting(s, client):
    m = _add(s, "Lò Thị Hoa")
    client.force_login(s.officer)
    no_case = client.get(s.url("_refer", m)).content.decode()
    assert 'data-testid="no-case"' in no_case
    m = _screen(s, m, outcome="referred")
    page = client.get(s.url("_refer", m)).content.decode()
    assert s.shelter.name in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(m.pk)).exists()
    found = client.get(s.url("_refer", m), {"q": "Quảng Ninh"}).content.decode()
    assert s.shelter.name in found
    body = {"version": m.version, "service": str(s.shelter.pk), "reason": "Cần nơi ở", "urgency": "urgent"}
    refused = client.post(s.url("_refer", m), body)
    assert refused.status_code == 400
    assert 'data-testid="error-override"' in refused.content.decode()
    sent = client.post(s.url("_refer", m), {**body, "consent": "on", "consent_given_by": "person"})
    assert sent.status_code == 302
    m.refresh_from_db()
    assert m.disposition == Disposition.REFERRED
    assert m.referral.provider == s.shelter.provider


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_sitting_page_query_count_does_not_grow_with_members(s, client):
    members = [_add(s, f"Người {i}") for i in range(2)]
    _screen(s, members[0])
    client.force_login(s.officer)
    client.get(s.url())  # warm the session and caches
    two = _page_queries(client, s.url())
    members += [_add(s, f"Người {i}") for i in range(2, 10)]
    for m in members[2:5]:
        _screen(s, m)
    ten = _page_queries(client, s.url())
    assert ten == two, (two, ten)
    # 8 for the session, the user and their two memberships' rights, the notification bell; 4 for
    # the audit event (5 on PostgreSQL: its advisory lock); the event, its officers, members,
    # provinces and the gate province's communes; one for every member's support at reception.
    assert ten <= (19 if connection.vendor == "postgresql" else 18)


def test_a_completed_reception_refuses_changes_to_a_card(s, client):
    m = _add(s, "Lò Thị Hoa")
    m = _screen(s, m)
    m = services.member_dispose(
        actor=s.officer, member=m, version=m.version, disposition="family", handed_to="Bố"
    )
    s.event.refresh_from_db()
    services.reception_complete(actor=s.officer, event=s.event, version=s.event.version)
    client.force_login(s.officer)
    late = client.post(s.url("_member", m), {"version": m.version, "action": "draft", "handed_to": "x"})
    assert late.status_code == 400
    assert "This reception is completed." in late.content.decode()
    assert _draft(client, s, m, {"handed_to": "x"}, m.version).status_code == 409


def test_every_sitting_endpoint_is_in_the_permission_matrix(s):
    m = _add(s, "Lò Thị Hoa")
    referred = _screen(s, _add(s, "Giàng Thị Sua"), outcome="referred")
    other_post = gate_post("lao-cai")
    actors = Actors(
        permitted=s.officer,
        no_permission=member(Role.JUSTICE_OFFICER, agency=s.gate.agency),
        other_agency=other_post.officer,
    )
    assert_matrix(Endpoint("GET", s.url()), actors, secrets=["Lò Thị Hoa"], snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", s.url("_communes"), data={"province": s.event.border_gate.province.code}),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", s.url("_refer", referred)), actors, secrets=["Giàng Thị Sua"], snapshot=snapshot
    )
    m = _fresh(m)
    card = {"version": m.version, "action": "draft", "handed_to": "Bố"}
    assert_matrix(
        Endpoint("POST", s.url("_member", m), data=card, permitted_status={302}), actors, snapshot=snapshot
    )
    m = _fresh(m)
    assert m.draft.get("handed_to") == "Bố"
    assert_matrix(
        Endpoint(
            "POST", s.url("_draft", m), data={"version": m.version, "draft": {"handed_to": "Mẹ"}}, api=True
        ),
        actors,
        snapshot=snapshot,
    )
    assert _fresh(m).draft == {"handed_to": "Mẹ"}
    assert_matrix(
        Endpoint(
            "POST", s.url("_add"), data={"full_name": "Lò Văn Pao", "sex": "male"}, permitted_status={302}
        ),
        actors,
        snapshot=snapshot,
    )
    assert s.event.members.count() == 3
    referred = _fresh(referred)
    body = {
        "version": referred.version,
        "service": str(s.shelter.pk),
        "reason": "Cần nơi ở",
        "urgency": "urgent",
    }
    body |= {"consent": "on", "consent_given_by": "person"}
    assert_matrix(
        Endpoint("POST", s.url("_refer", referred), data=body, permitted_status={302}),
        actors,
        snapshot=snapshot,
    )
    assert Referral.objects.count() == 1
    # The refer page also needs referrals.make: a frontline officer alone may not refer.
    frontline = member(Role.FRONTLINE_OFFICER, agency=s.gate.agency)
    client = Client()
    client.force_login(frontline)
    assert client.get(s.url("_refer", referred)).status_code == 403
    s.event.refresh_from_db()
    assert_matrix(
        Endpoint("POST", s.url("_complete"), data={"version": s.event.version}, permitted_status={400}),
        actors,
        snapshot=snapshot,
    )
    assert Provider.objects.count() == 1
