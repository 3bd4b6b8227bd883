"""A document number entered wrongly is corrected (a new entry replaces it, the old one kept and
shown as superseded) or marked entered in error (kept, no longer counted); nothing is deleted."""

import datetime

import pytest
from django.test import Client

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.core.errors import StaleVersion, ValidationFailed
from shield.linkage.services.runs import _id_numbers
from shield.people import candidates, services
from shield.people.models import DocumentStatus, IdentityDocument
from shield.people.tests import factories as people

pytestmark = pytest.mark.django_db

WRONG, RIGHT = "001195012345", "001195099999"


@pytest.fixture
def hoa():
    hoa = people.person(full_name="Nguyễn Thị Hoa", birth_date=datetime.date(1995, 3, 14))
    people.document(of=hoa, number=WRONG)
    return hoa


def _correct(hoa, document, number=RIGHT, version=1, reason="Two digits swapped on entry"):
    return services.document_correct(
        actor=hoa.registered_by,
        document=document,
        expected_version=version,
        reason=reason,
        kind="cccd",
        number=number,
        issuing_country="VN",
    )


def test_a_correction_replaces_the_entry_and_keeps_the_old_one_superseded(hoa):
    old = IdentityDocument.objects.get(person=hoa)
    new = _correct(hoa, old)
    old.refresh_from_db()
    assert (old.status, old.is_active, old.replaced_by) == (DocumentStatus.SUPERSEDED, False, new)
    assert old.status_reason == "Two digits swapped on entry"
    assert old.status_changed_by == hoa.registered_by
    assert (new.number, new.status, new.is_active) == (RIGHT, DocumentStatus.CURRENT, True)
    assert IdentityDocument.objects.filter(person=hoa).count() == 2  # nothing deleted
    assert AuditEvent.objects.filter(object_id=str(old.pk), action="update").exists()
    assert AuditEvent.objects.filter(object_id=str(new.pk), action="create").exists()


def test_a_correction_needs_a_reason_the_current_version_and_a_change(hoa):
    old = IdentityDocument.objects.get(person=hoa)
    with pytest.raises(ValidationFailed):
        _correct(hoa, old, reason="  ")
    with pytest.raises(StaleVersion):
        _correct(hoa, old, version=7)
    with pytest.raises(ValidationFailed):
        _correct(hoa, old, number=WRONG)
    with pytest.raises(ValidationFailed):
        _correct(hoa, old, reason="x" * 501)
    _correct(hoa, old)
    old.refresh_from_db()
    with pytest.raises(ValidationFailed):  # already superseded
        _correct(hoa, old, version=old.version, number="001195011111")


def test_an_entry_marked_in_error_is_kept_and_no_longer_counted(hoa):
    document = IdentityDocument.objects.get(person=hoa)
    services.document_mark_entered_in_error(
        actor=hoa.registered_by, document=document, expected_version=1, reason="Belongs to her sister"
    )
    document.refresh_from_db()
    assert (document.status, document.is_active) == (DocumentStatus.ENTERED_IN_ERROR, False)
    assert hoa.pk not in _id_numbers()
    assert not candidates.probe_for_person(hoa).numbers


def test_linkage_and_the_same_person_lookup_use_the_corrected_number(hoa):
    other = people.person(full_name="Trần Văn Nam", birth_date=datetime.date(1980, 1, 1), sex="male")
    people.document(of=other, number=RIGHT)
    _correct(hoa, IdentityDocument.objects.get(person=hoa))
    assert _id_numbers()[hoa.pk] == RIGHT
    assert candidates.probe_for_person(hoa).numbers == frozenset({RIGHT})
    assert WRONG not in set(_id_numbers().values())


def test_the_person_page_corrects_and_marks_in_error_and_shows_the_old_entries(hoa):
    client = Client()
    client.force_login(hoa.registered_by)
    document = IdentityDocument.objects.get(person=hoa)
    url = f"/people/{hoa.pk}/documents/{document.pk}/fix/"
    body = client.get(f"/people/{hoa.pk}/").content.decode()
    assert 'data-testid="document-fix-form"' in body
    stale = client.post(
        url,
        {
            "action": "correct",
            "reason": "typo",
            "version": 9,
            "kind": "cccd",
            "number": RIGHT,
            "issuing_country": "VN",
        },
    )
    assert stale.status_code == 409
    missing = client.post(
        url,
        {
            "action": "correct",
            "reason": "",
            "version": 1,
            "kind": "cccd",
            "number": "",
            "issuing_country": "VN",
        },
    )
    assert missing.status_code == 400
    response = client.post(
        url,
        {
            "action": "correct",
            "reason": "typo",
            "version": 1,
            "kind": "cccd",
            "number": RIGHT,
            "issuing_country": "VN",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "The document was corrected" in body
    assert 'data-testid="document-superseded"' in body
    new = IdentityDocument.objects.get(person=hoa, status=DocumentStatus.CURRENT)
    response = client.post(
        f"/people/{hoa.pk}/documents/{new.pk}/fix/",
        {"action": "entered_in_error", "reason": "Not hers", "version": new.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="document-in-error"' in response.content.decode()
    assert IdentityDocument.objects.filter(person=hoa).count() == 2


def test_a_document_of_another_person_is_not_found_through_this_one(hoa):
    stranger = people.person(full_name="Lê Văn Tám", owner_agency=hoa.owner_agency, actor=hoa.registered_by)
    theirs = people.document(of=stranger, number="001080012345")
    client = Client()
    client.force_login(hoa.registered_by)
    response = client.post(
        f"/people/{hoa.pk}/documents/{theirs.pk}/fix/",
        {"action": "entered_in_error", "reason": "x", "version": 1},
    )
    assert response.status_code == 404


def test_a_justice_officer_cannot_fix_documents(hoa):
    client = Client()
    client.force_login(member(Role.JUSTICE_OFFICER, agency=hoa.owner_agency))
    document = IdentityDocument.objects.get(person=hoa)
    response = client.post(
        f"/people/{hoa.pk}/documents/{document.pk}/fix/",
        {"action": "entered_in_error", "reason": "x", "version": 1},
    )
    assert response.status_code in {403, 404}
    document.refresh_from_db()
    assert document.status == DocumentStatus.CURRENT
