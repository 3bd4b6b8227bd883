"""The PDF case summary: a real PDF, downloaded as `<reference>.pdf`, audited as an export, with the
person's name masked and notes left out for roles that should not read them, refused out of reach.

Neither pdftotext nor pypdf is installed here, so the text is checked in the print template's HTML
(what WeasyPrint lays out) and the bytes are checked to be a complete PDF."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from shield.accounts.roles import ROLE_PERMISSIONS, Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit.models import AuditAction, AuditEvent
from shield.cases import pdf, services
from shield.cases.models import Stage
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db

NOTE = "Met the aunt at the border market"


@pytest.fixture
def team():
    return f.team()


@pytest.fixture
def child_case(team):
    child = f.person(
        actor=team.worker,
        full_name="Giàng Thị Mai",
        birth_date=timezone.localdate() - datetime.timedelta(days=365 * 12),
    )
    case = f.put_at(f.open_case(actor=team.worker, agency=team.agency, person_=child), Stage.SERVICES)
    services.note_add(actor=team.worker, case=case, kind="home_visit", body=NOTE)
    return case


def exports_of(case):
    return AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="cases.case", object_id=str(case.pk)
    )


def test_the_summary_is_a_real_pdf_downloaded_under_the_case_reference(client, team, child_case):
    client.force_login(team.worker)
    response = client.get(reverse("cases:case_pdf", args=[child_case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{child_case.reference}.pdf"'
    assert response["Cache-Control"] == "no-store"
    content = response.content
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert len(content) > 5000  # text, fonts and tables, not an empty page
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
        assert child_case.reference.encode() in text


def test_the_export_is_audited_with_its_reason(client, team, child_case):
    client.force_login(team.worker)
    client.get(reverse("cases:case_pdf", args=[child_case.pk]))
    event = exports_of(child_case).get()
    assert event.actor == team.worker
    assert event.reason == "PDF summary"


def test_a_case_worker_gets_the_name_and_the_notes(team, child_case):
    html = pdf.summary_html(user=team.worker, case=child_case)
    assert child_case.reference in html
    assert "Giàng Thị Mai" in html
    assert NOTE in html
    assert "Find a shelter place" in html  # the approved plan's action


def test_a_role_without_case_work_gets_no_notes(team, child_case):
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    html = pdf.summary_html(user=justice, case=child_case)
    assert child_case.reference in html
    assert NOTE not in html
    assert "Verified statements" not in html  # the basis of the identification decision


def test_a_childs_name_is_masked_for_roles_that_do_not_need_it(team, child_case, monkeypatch):
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.JUSTICE_OFFICER,
        ROLE_PERMISSIONS[Role.JUSTICE_OFFICER] - {"people.see_child_names"},
    )
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    html = pdf.summary_html(user=justice, case=child_case)
    assert "Giàng" not in html
    assert "G. T. M." in html


def test_the_pdf_is_not_found_for_another_agency_and_nothing_is_exported(client, child_case):
    client.force_login(member(Role.CASE_WORKER, agency=AgencyFactory()))
    response = client.get(reverse("cases:case_pdf", args=[child_case.pk]))
    assert response.status_code == 404
    assert not exports_of(child_case).exists()


def test_the_pdf_is_refused_to_a_statistician(client, team, child_case):
    client.force_login(member(Role.STATISTICIAN, agency=team.agency))
    response = client.get(reverse("cases:case_pdf", args=[child_case.pk]))
    assert response.status_code == 403
    assert not exports_of(child_case).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_id=str(child_case.pk)
    ).exists()


def test_the_pdf_fetches_nothing_from_outside(team, child_case, monkeypatch):
    """Only `data:` addresses may be fetched: an <img> slipped into a name or note cannot call out."""
    import urllib.request

    opened = []

    def refuse_to_open(self, *args, **kwargs):
        opened.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse_to_open)
    monkeypatch.setattr(
        pdf, "summary_html", lambda **kw: '<img src="http://example.invalid/x.png"><p>text</p>'
    )
    content = pdf.case_summary_pdf(user=team.worker, case=child_case)
    assert content.startswith(b"%PDF-")
    assert opened == []


def test_a_pdf_past_its_time_limit_is_stopped_with_a_clear_message_and_no_export(
    client, team, child_case, settings
):
    settings.SHIELD_PDF_TIMEOUT_SECONDS = 0.01  # no child process starts WeasyPrint that fast
    client.force_login(team.worker)
    response = client.get(reverse("cases:case_pdf", args=[child_case.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[child_case.pk])
    assert "took too long" in response.content.decode()
    assert not exports_of(child_case).exists()


def test_the_pdf_prints_only_the_newest_notes_past_its_limit(team, child_case, settings):
    settings.SHIELD_PDF_MAX_NOTES = 2
    for n in range(3):
        services.note_add(actor=team.worker, case=child_case, kind="contact", body=f"Visit {n}")
    html = pdf.summary_html(user=team.worker, case=child_case)
    assert html.count('class="note"') == 2
    assert "Only the newest 2 notes are printed" in html


def test_the_pdf_prints_notes_only_up_to_its_character_budget(team, child_case, settings):
    settings.SHIELD_PDF_MAX_NOTE_CHARACTERS = 25_000
    for n in range(3):
        services.note_add(actor=team.worker, case=child_case, kind="contact", body=f"{n}" * 10_000)
    html = pdf.summary_html(user=team.worker, case=child_case)
    assert html.count('class="note"') == 2
    assert "Only the newest 2 notes are printed" in html
