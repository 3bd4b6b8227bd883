"""What happened to the person, in HTCDS value sets: trafficking details and places."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shield import audit
from shield.accounts.models import User
from shield.audit import reasons
from shield.audit.models import AuditAction
from shield.cases import value_sets
from shield.cases.models import Case, PlaceKind, TraffickingDetails, TraffickingPlace
from shield.cases.services.access import case_for_edit, check_version, required_text
from shield.core.concurrency import save_versioned
from shield.core.errors import InvalidTransition, ValidationFailed
from shield.geo.models import Commune, Province

# Field of TraffickingDetails → the HTCDS value set its values come from.
MULTI_SELECT_FIELDS = {
    "forms_of_exploitation": value_sets.FORMS_OF_EXPLOITATION,
    "methods_of_control": value_sets.METHODS_OF_CONTROL,
    "recruitment_methods": value_sets.RECRUITMENT_METHODS,
    "recruitment_websites_and_apps": value_sets.WEBSITES_AND_APPS,
    "exploitation_websites_and_apps": value_sets.WEBSITES_AND_APPS,
}


def _clean_multi(field: str, chosen: Iterable[str], errors: dict[str, list[str]]) -> list[str]:
    if isinstance(chosen, str):
        chosen = [chosen]
    picked = list(dict.fromkeys(v for v in chosen if v))
    wrong = value_sets.unknown(MULTI_SELECT_FIELDS[field], picked)
    if wrong:
        errors[field] = [
            _("“%(value)s” is not one of the standard's values for this field.") % {"value": value}
            for value in wrong
        ]
    return picked


@transaction.atomic
def trafficking_details_set(
    *,
    actor: User,
    case: Case,
    expected_version: int | None,
    forms_of_exploitation: Iterable[str] = (),
    methods_of_control: Iterable[str] = (),
    recruitment_methods: Iterable[str] = (),
    recruitment_websites_and_apps: Iterable[str] = (),
    exploitation_websites_and_apps: Iterable[str] = (),
    relationship_to_trafficker: str = "",
    duration_days: int | None = None,
) -> TraffickingDetails:
    """Set the case's trafficking details as a whole (every field is replaced).

    Multi-selects take HTCDS value names (`value_sets`); unknown ones are refused field by field.
    The first call creates the record: pass `expected_version=0` (or None) then; later calls pass
    the version of the details they edited (stale → StaleVersion, none → VersionRequired).
    """
    locked = case_for_edit(actor=actor, case=case)
    existing = TraffickingDetails.objects.select_for_update().filter(case=locked).first()
    if existing is not None:
        check_version(existing.version, expected_version)
    elif expected_version not in (None, 0):
        check_version(0, expected_version)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "forms_of_exploitation": _clean_multi("forms_of_exploitation", forms_of_exploitation, errors),
        "methods_of_control": _clean_multi("methods_of_control", methods_of_control, errors),
        "recruitment_methods": _clean_multi("recruitment_methods", recruitment_methods, errors),
        "recruitment_websites_and_apps": _clean_multi(
            "recruitment_websites_and_apps", recruitment_websites_and_apps, errors
        ),
        "exploitation_websites_and_apps": _clean_multi(
            "exploitation_websites_and_apps", exploitation_websites_and_apps, errors
        ),
        "relationship_to_trafficker": relationship_to_trafficker or "",
        "duration_days": duration_days,
    }
    if values["relationship_to_trafficker"] and values["relationship_to_trafficker"] not in value_sets.values(
        value_sets.RELATIONSHIP_TO_TRAFFICKER
    ):
        errors["relationship_to_trafficker"] = [_("Choose one of the listed relationships.")]
    if duration_days is not None and duration_days < 0:
        errors["duration_days"] = [_("A duration cannot be negative.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    if existing is None:
        details = TraffickingDetails.objects.create(case=locked, updated_by=actor, **values)
        changed = [name for name, value in values.items() if value not in ([], "", None)]
        action = AuditAction.CREATE
    else:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name, value in values.items():
            setattr(existing, name, value)
        existing.updated_by = actor
        assert expected_version is not None
        save_versioned(existing, expected_version=expected_version, fields=[*values, "updated_by"])
        details, action = existing, AuditAction.UPDATE
    audit.record(action=action, actor=actor, agency=locked.owner_agency, obj=details, changed_fields=changed)
    return details


@transaction.atomic
def trafficking_place_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    country: str,
    province: Province | None = None,
    commune: Commune | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> TraffickingPlace:
    """Record where recruitment, transit or exploitation happened. Province and commune are Viet
    Nam's (the 34 provinces and 3,321 communes since 1 July 2025); a commune alone fills in its
    province."""
    locked = case_for_edit(actor=actor, case=case)
    errors: dict[str, list[str]] = {}
    country = (country or "").strip().upper()
    if kind not in PlaceKind.values:
        errors["kind"] = [_("Choose recruitment, transit or exploitation.")]
    if len(country) != 2:
        errors["country"] = [_("Choose a country.")]
    if commune is not None and province is None:
        province = commune.province
    if commune is not None and province is not None and commune.province_id != province.pk:
        errors["commune"] = [_("This commune is not in the chosen province.")]
    if province is not None and country != "VN":
        errors["province"] = [_("A province can be given only for a place in Viet Nam.")]
    if date_from and date_to and date_to < date_from:
        errors["date_to"] = [_("The end comes before the start.")]
    today = timezone.localdate()
    if (date_from and date_from > today) or (date_to and date_to > today):
        errors["date_from" if date_from and date_from > today else "date_to"] = [
            _("Dates cannot be in the future.")
        ]
    if errors:
        raise ValidationFailed(field_errors=errors)
    place = TraffickingPlace.objects.create(
        case=locked,
        kind=kind,
        country=country,
        province=province,
        commune=commune,
        date_from=date_from,
        date_to=date_to,
        recorded_by=actor,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=locked.owner_agency,
        obj=place,
        changed_fields=["case", "kind", "country", "province", "commune", "date_from", "date_to"],
    )
    return place


@transaction.atomic
def trafficking_place_remove(*, actor: User, place: TraffickingPlace, reason: str) -> TraffickingPlace:
    """Mark a place recorded in error as removed (it stays in the database, with who and why)."""
    locked_case = case_for_edit(actor=actor, case=place.case)
    locked = TraffickingPlace.objects.select_for_update().get(pk=place.pk)
    if locked.removed_at is not None:
        raise InvalidTransition(_("This place has already been removed."))
    locked.removal_reason = required_text(reason, field="reason", message=_("Say why the place is removed."))
    locked.removed_at, locked.removed_by = timezone.now(), actor
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=locked_case.owner_agency,
        obj=locked,
        changed_fields=["removed_at", "removed_by", "removal_reason"],
        reason=reasons.reference(locked, "removal_reason"),
    )
    return locked
