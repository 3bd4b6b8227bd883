"""Typed reasons (stage moves, closures, transfers, withdrawals, removals, tip closures) are kept
encrypted on their record; the append-only audit log holds only a reference, and the pages that
show reasons (the case history, the audit event) read the text through it."""

import pytest
from django.db import connection
from django.urls import reverse

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.audit import reasons
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import services
from shield.cases.models import CaseStageChange, ClosureRequest, Stage
from shield.cases.tests import factories as f
from shield.intake import services as intake_services
from shield.intake.tests import factories as intake

pytestmark = pytest.mark.django_db

SECRET = "Mẹ kế đánh em ở nhà ông Tư"


@pytest.fixture
def team():
    return f.team()


def raw(table, column, pk):
    """The value as stored in the database, past the field's decryption."""
    key = pk.hex if connection.vendor == "sqlite" else pk
    sql = f"SELECT {column} FROM {table} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        return cursor.fetchone()[0]


def test_a_closure_reason_is_encrypted_on_the_request_and_only_referenced_in_the_log(team):
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency), Stage.SERVICES)
    request = services.closure_request(actor=team.worker, case=case, reason=SECRET)
    services.closure_approve(actor=team.supervisor, request=request, note=SECRET + " (duyệt)")
    assert not AuditEvent.objects.filter(reason__contains="ông Tư").exists()
    stored = raw(ClosureRequest._meta.db_table, "reason", request.pk)
    assert stored.startswith("fernet:")
    assert "ông Tư" not in stored
    request.refresh_from_db()
    assert request.reason == SECRET
    change = CaseStageChange.objects.get(case=case, to_stage=Stage.CLOSED)
    assert raw(CaseStageChange._meta.db_table, "reason", change.pk).startswith("fernet:")
    transition = AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(case.pk)).first()
    assert transition.reason.startswith(f"{Stage.SERVICES} → {Stage.CLOSED}; reason stored on")
    assert reasons.expand(transition.reason) == f"{Stage.SERVICES} → {Stage.CLOSED}; {SECRET}"


def test_the_case_history_shows_the_reason_read_from_the_record(client, team):
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency), Stage.SERVICES)
    services.closure_request(actor=team.worker, case=case, reason=SECRET)
    client.force_login(team.worker)
    page = client.get(reverse("cases:case_detail", args=[case.pk]), {"tab": "history"}).content.decode()
    assert SECRET in page
    assert "reason stored on" not in page


def test_the_auditor_reads_the_reason_on_the_event_page(client, team):
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency), Stage.SERVICES)
    request = services.closure_request(actor=team.worker, case=case, reason=SECRET)
    event = AuditEvent.objects.get(object_id=str(request.pk), action=AuditAction.CREATE)
    auditor = member(Role.AUDITOR, agency=team.agency, username="auditor.one")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_detail", args=[event.pk])).content.decode()
    assert SECRET in page
    far = member(Role.AUDITOR, scope=Scope.AGENCY, username="auditor.far")
    client.force_login(far)
    assert client.get(reverse("audit:event_detail", args=[event.pk])).status_code == 404


def test_a_risk_change_reason_without_a_record_is_kept_encrypted_beside_the_log(team):
    case = f.open_case(actor=team.worker, agency=team.agency)
    services.case_risk_set(
        actor=team.worker, case=case, risk_level="high", expected_version=case.version, reason=SECRET
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(case.pk)).first()
    assert "ông Tư" not in event.reason
    assert event.reason.startswith("reason stored on audit.storedreason ")
    assert reasons.expand(event.reason) == SECRET


def test_a_tip_closure_reason_is_kept_on_the_tip(team):
    officer = member(Role.FRONTLINE_OFFICER, agency=team.agency)
    tip = intake.tip(officer)
    intake_services.tip_close(actor=officer, tip=tip, expected_version=tip.version, reason=SECRET)
    event = AuditEvent.objects.filter(object_id=str(tip.pk), action=AuditAction.UPDATE).first()
    assert "ông Tư" not in event.reason
    assert reasons.expand(event.reason) == SECRET


def test_a_reference_reaches_only_encrypted_text_fields(team):
    forged = f"reason stored on accounts.user {team.worker.pk} (password)"
    assert reasons.expand(forged) == forged
