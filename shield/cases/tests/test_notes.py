import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from shield.audit.models import AuditEvent
from shield.cases import selectors, services
from shield.cases.models import CaseNote, NoteKind
from shield.cases.tests import factories as f
from shield.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

SECRET = "Em kể bị giữ ở Quảng Tây 3 tháng, bị đánh khi đòi về"


def test_a_note_is_unreadable_in_the_database():
    team = f.team()
    note = services.note_add(
        actor=team.worker, case=f.open_case(actor=team.worker), kind=NoteKind.INTERVIEW, body=SECRET
    )
    stored = f.raw_value(CaseNote, "body", note.pk)
    assert SECRET not in stored
    assert "Quảng Tây" not in stored
    assert stored.startswith("fernet:")
    assert CaseNote.objects.get(pk=note.pk).body == SECRET


def test_without_the_key_a_note_cannot_be_decrypted(settings):
    team = f.team()
    note = services.note_add(
        actor=team.worker, case=f.open_case(actor=team.worker), kind="contact", body=SECRET
    )
    settings.SHIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        CaseNote.objects.get(pk=note.pk)
    settings.SHIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        CaseNote.objects.get(pk=note.pk)


def test_the_audit_event_of_a_note_names_fields_never_the_text():
    team = f.team()
    note = services.note_add(
        actor=team.worker, case=f.open_case(actor=team.worker), kind="home_visit", body=SECRET
    )
    event = AuditEvent.objects.get(object_id=str(note.pk))
    assert event.action == "create"
    assert "body" in event.changed_fields
    assert SECRET not in event.reason
    assert all(SECRET not in str(field) for field in event.changed_fields)


def test_a_correction_is_a_new_note_pointing_at_the_old_one():
    team = f.team()
    case = f.open_case(actor=team.worker)
    first = services.note_add(actor=team.worker, case=case, kind="contact", body="Met on Monday")
    correction = services.note_add(
        actor=team.worker, case=case, kind="contact", body="It was Tuesday, not Monday", corrects=first
    )
    first.refresh_from_db()
    assert first.body == "Met on Monday"  # the original stays as written
    assert correction.corrects == first
    assert [n.pk for n in selectors.case_notes_for(user=team.worker, case=case)] == [correction.pk, first.pk]


def test_a_correction_must_belong_to_the_same_case():
    team = f.team()
    other = services.note_add(
        actor=team.worker, case=f.open_case(actor=team.worker), kind="contact", body="x"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.note_add(
            actor=team.worker, case=f.open_case(actor=team.worker), kind="contact", body="y", corrects=other
        )
    assert "corrects" in refused.value.field_errors


def test_a_note_needs_text_a_kind_and_a_time_that_has_come():
    team = f.team()
    with pytest.raises(ValidationFailed) as refused:
        services.note_add(
            actor=team.worker,
            case=f.open_case(actor=team.worker),
            kind="gossip",
            body="  ",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert set(refused.value.field_errors) == {"kind", "body", "occurred_at"}
    assert not CaseNote.objects.exists()


def test_the_timeline_shows_stage_changes_notes_and_decisions_newest_first():
    team = f.team()
    case = f.open_case(actor=team.worker)
    services.note_add(
        actor=team.worker,
        case=case,
        kind="contact",
        body="First call",
        occurred_at=timezone.now() - datetime.timedelta(days=3),
    )
    services.identification_decide(
        actor=team.worker,
        case=case,
        status="identified",
        body_name="Công an",
        body_type="police_provincial",
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
        basis="Statements",
    )
    services.note_add(actor=team.worker, case=case, kind="home_visit", body="Visit")
    timeline = selectors.case_timeline_for(user=team.worker, case=case)
    kinds = [entry.kind for entry in timeline]
    assert (kinds[0], timeline[0].item.body) == ("note", "Visit")
    assert (kinds.count("stage"), kinds.count("decision"), kinds[-1]) == (2, 1, "note")
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)


def test_only_roles_that_work_on_cases_read_notes_in_the_timeline():
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    team = f.team()
    case = f.open_case(actor=team.worker)
    services.note_add(actor=team.worker, case=case, kind=NoteKind.CONTACT, body=SECRET)
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    assert selectors.reads_narratives(team.worker)
    assert not selectors.reads_narratives(justice)
    assert [e.kind for e in selectors.case_timeline_for(user=team.worker, case=case)] == ["note"]
    assert selectors.case_timeline_for(user=justice, case=case) == []
    assert not selectors.case_notes_for(user=justice, case=case).exists()
