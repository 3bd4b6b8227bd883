"""The audit log for a person: types in words, references (masked, linked when allowed), CSV export,
whole-chain verification as a task; with the permission matrix of the new pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.audit import record
from shield.audit.models import AuditAction, AuditEvent, ChainVerification, VerificationStatus
from shield.cases.tests import factories as case_factories
from shield.core.spreadsheets import safe_cell

pytestmark = pytest.mark.django_db

LIST_URL = reverse("audit:event_list")
EXPORT_URL = reverse("audit:event_export")
VERIFY_URL = reverse("audit:verification_list")


def _rows(response):
    return {(r.event.object_type, r.event.object_id): r for r in response.context["rows"]}


def test_object_types_are_shown_in_words_not_labels(signed_in, national_auditor, agency):
    record(action=AuditAction.VIEW, agency=agency, object_type="cases.careplan", object_id="x")

    response = signed_in(national_auditor).get(LIST_URL)

    row = _rows(response)[("cases.careplan", "x")]
    assert row.type_label == "Care plan"
    assert ">Care plan<" in response.content.decode()


def test_a_childs_name_is_masked_for_an_auditor_and_nothing_links_where_they_may_not_go(
    signed_in, national_auditor
):
    case = case_factories.open_case()
    child = case.person
    child.birth_date = datetime.date.today() - datetime.timedelta(days=365 * 10)
    child.birth_year = child.birth_date.year
    child.save(update_fields=["birth_date", "birth_year"])

    response = signed_in(national_auditor).get(LIST_URL)

    rows = _rows(response)
    case_row = rows[("cases.case", str(case.pk))]
    assert case_row.reference.text == case.reference
    assert case_row.reference.url == ""  # an auditor may not open cases
    person_row = rows[("people.person", str(child.pk))]
    assert child.full_name not in response.content.decode()
    assert person_row.reference.text.startswith("N. T. H.")
    assert person_row.reference.url == ""


def test_a_viewer_who_may_open_the_case_gets_a_link(signed_in):
    case = case_factories.open_case()
    viewer = member(Role.SUPERVISOR, agency=case.owner_agency, scope=Scope.AGENCY)
    auditor = member(Role.AUDITOR, agency=case.owner_agency, scope=Scope.AGENCY)
    response = signed_in(auditor).get(LIST_URL)
    assert _rows(response)[("cases.case", str(case.pk))].reference.url == ""

    from shield.audit.references import resolve

    found = resolve(user=viewer, events=[AuditEvent(object_type="cases.case", object_id=str(case.pk))])
    assert found[("cases.case", str(case.pk))].url == reverse("cases:case_detail", args=[case.pk])


def test_the_list_query_count_does_not_grow_with_rows(signed_in, national_auditor):
    client = signed_in(national_auditor)
    case_factories.open_case()
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for _ in range(4):
        case_factories.open_case()
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(few)


# --- export ---------------------------------------------------------------------------------------


def test_export_is_the_filtered_slice_and_is_audited(signed_in, national_auditor, agency):
    record(action=AuditAction.CREATE, agency=agency, object_type="cases.case", object_id="keep-1")
    record(action=AuditAction.VIEW, agency=agency, object_type="cases.case", object_id="drop-1")

    response = signed_in(national_auditor).get(EXPORT_URL, {"action": "create"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "keep-1" in body
    assert "drop-1" not in body
    assert body.splitlines()[0].startswith("sequence,time,actor")
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=national_auditor)
    assert export.details["filters"] == ["action"]
    assert export.details["rows"] == body.count("keep-1")
    assert export.details["rows"] == len(body.splitlines()) - 1


def test_export_cells_cannot_run_as_formulas(signed_in, national_auditor, agency):
    record(action=AuditAction.VIEW, agency=agency, object_type="cases.case", object_id="=HYPERLINK(1)")

    body = b"".join(signed_in(national_auditor).get(EXPORT_URL).streaming_content).decode("utf-8-sig")

    assert "'=HYPERLINK(1)" in body
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@x") == "'@x"
    assert safe_cell("ok") == "ok"


def test_export_over_the_cap_is_refused_with_a_message(signed_in, national_auditor, agency, settings):
    settings.SHIELD_AUDIT_EXPORT_MAX_ROWS = 2
    for i in range(3):
        record(action=AuditAction.VIEW, agency=agency, object_type="cases.case", object_id=f"c{i}")

    response = signed_in(national_auditor).get(EXPORT_URL)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_agency_auditor_exports_only_their_agencys_events(signed_in, agency_auditor, agency, other_agency):
    record(action=AuditAction.VIEW, agency=agency, object_type="cases.case", object_id="mine-1")
    record(action=AuditAction.VIEW, agency=other_agency, object_type="cases.case", object_id="theirs-1")

    body = b"".join(signed_in(agency_auditor).get(EXPORT_URL).streaming_content).decode("utf-8-sig")

    assert "mine-1" in body
    assert "theirs-1" not in body


# --- verification -----------------------------------------------------------------------------------


def test_verification_runs_as_a_task_and_keeps_an_intact_result(signed_in, national_auditor):
    for i in range(3):
        record(action=AuditAction.VIEW, object_type="cases.case", object_id=str(i))

    response = signed_in(national_auditor).post(VERIFY_URL)

    verification = ChainVerification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:verification_detail", args=[verification.pk])
    assert verification.status == VerificationStatus.FINISHED
    assert verification.intact is True
    assert verification.checked >= 4
    page = signed_in(national_auditor).get(response["Location"])
    assert 'data-testid="verification-intact"' in page.content.decode()
    assert AuditEvent.objects.filter(
        object_type="audit.chainverification", action=AuditAction.UPDATE
    ).exists()


def test_verification_names_the_first_broken_event(signed_in, national_auditor, raw_sql):
    for i in range(4):
        record(action=AuditAction.VIEW, object_type="cases.case", object_id=str(i))
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE sequence = %s", ["forged", 2])

    signed_in(national_auditor).post(VERIFY_URL)

    verification = ChainVerification.objects.get()
    assert (verification.intact, verification.break_sequence, verification.checked) == (False, 2, 1)
    page = signed_in(national_auditor).get(reverse("audit:verification_detail", args=[verification.pk]))
    assert 'data-testid="verification-broken"' in page.content.decode()


def test_a_verification_not_picked_up_says_what_to_do(signed_in, national_auditor, frozen_now):
    from django.utils import timezone

    with frozen_now(timezone.now() - datetime.timedelta(minutes=5)):
        verification = ChainVerification.objects.create(requested_by=national_auditor)

    body = (
        signed_in(national_auditor)
        .get(reverse("audit:verification_detail", args=[verification.pk]))
        .content.decode()
    )

    assert 'data-testid="worker-missing"' in body
    assert "db_worker" in body


# --- permission matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [EXPORT_URL, VERIFY_URL])
def test_anonymous_is_sent_to_sign_in(client, url):
    assert client.get(url).status_code == 302
    assert client.post(VERIFY_URL).status_code == 302


@pytest.mark.parametrize(("method", "url"), [("get", EXPORT_URL), ("get", VERIFY_URL), ("post", VERIFY_URL)])
def test_role_without_audit_permission_is_refused(signed_in, case_worker, method, url):
    response = getattr(signed_in(case_worker), method)(url)

    assert response.status_code == 403
    assert not ChainVerification.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_verification_detail_refused_without_permission_and_404_when_missing(
    signed_in, case_worker, national_auditor
):
    verification = ChainVerification.objects.create()
    url = reverse("audit:verification_detail", args=[verification.pk])

    assert signed_in(case_worker).get(url).status_code == 403
    assert signed_in(national_auditor).get(url).status_code == 200
    missing = reverse("audit:verification_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert signed_in(national_auditor).get(missing).status_code == 404


def test_permitted_auditor_sees_the_verification_list(signed_in, agency_auditor):
    assert signed_in(agency_auditor).get(VERIFY_URL).status_code == 200
