"""Case notes: appended, encrypted at rest, never edited (a correction is a new note naming the old)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit.models import AuditAction
from shield.cases.models import Case, CaseNote, NoteKind
from shield.cases.services.access import case_for_edit
from shield.core.errors import ValidationFailed

# A note may be dated a little ahead of the server clock (a phone's clock runs fast).
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


@transaction.atomic
def note_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    body: str,
    occurred_at: datetime.datetime | None = None,
    corrects: CaseNote | None = None,
) -> CaseNote:
    """Append a note to the case; `occurred_at` is when the contact or visit took place (now by
    default). To correct a note, add a new one with `corrects=` the old note. The audit event names
    the fields, never the text."""
    locked = case_for_edit(actor=actor, case=case)
    errors: dict[str, list[str]] = {}
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose the kind of note.")]
    text = (body or "").strip()
    if not text:
        errors["body"] = [_("Write the note.")]
    when = occurred_at or timezone.now()
    if when > timezone.now() + CLOCK_TOLERANCE:
        errors["occurred_at"] = [_("A note cannot record something that has not happened yet.")]
    if corrects is not None and corrects.case_id != locked.pk:
        errors["corrects"] = [_("A correction must belong to the same case as the note it corrects.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    note = CaseNote.objects.create(
        case=locked, author=actor, kind=kind, body=text, occurred_at=when, corrects=corrects
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=note,
        changed_fields=["case", "kind", "body", "occurred_at"] + (["corrects"] if corrects else []),
    )
    return note
