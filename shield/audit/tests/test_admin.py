"""The admin site shows audit events read-only, and its reads are audited like the auditor pages."""

import pytest
from django.urls import reverse

from shield.audit import record
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(agency) -> AuditEvent:
    return record(action=AuditAction.UPDATE, agency=agency, object_type="cases.case", object_id="case-7")


def test_superuser_reads_the_event_list_and_the_read_is_recorded(signed_in, superuser, event):
    response = signed_in(superuser).get(reverse("admin:audit_auditevent_changelist"))

    assert response.status_code == 200
    assert "case-7" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LIST, actor=superuser).exists()


def test_event_page_is_read_only_and_the_read_is_recorded(signed_in, superuser, event):
    response = signed_in(superuser).get(reverse("admin:audit_auditevent_change", args=[event.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert event.hash in body
    assert 'name="_save"' not in body
    assert 'name="reason"' not in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, actor=superuser, object_id=str(event.pk)
    ).exists()


def test_admin_cannot_add_change_or_delete_events(signed_in, superuser, event):
    client = signed_in(superuser)

    add = client.get(reverse("admin:audit_auditevent_add"))
    change = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"reason": "rewritten"})
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    bulk_delete = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert (
        'value="delete_selected"'
        not in client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    )
    assert bulk_delete.status_code != 500
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == ""
    assert stored.hash == stored.compute_hash()


def test_auditor_without_staff_status_is_kept_out_of_the_admin(signed_in, national_auditor, event):
    response = signed_in(national_auditor).get(reverse("admin:audit_auditevent_changelist"))

    assert response.status_code == 302
    assert "case-7" not in response.content.decode()
