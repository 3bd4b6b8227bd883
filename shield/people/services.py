"""Writes to the person registry; each one audited in the same transaction.

Services do not check permissions and do not apply access scopes: a view or API view first
obtains the person through `shield.people.selectors.person_get_for(user=..., person_id=...)`
(which answers NotFound for a person the user cannot reach) and checks the capability
(`people.register`), then passes that person here. So an actor can only ever write to a person
they were allowed to read.

Audit events name the fields that changed, never their values (the contact details are
encrypted at rest and must not leak into the log).
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shield import audit
from shield.accounts.models import Agency, User
from shield.audit.models import AuditAction
from shield.core.concurrency import save_versioned
from shield.core.errors import StaleVersion, ValidationFailed, VersionRequired
from shield.geo.models import Commune, Province
from shield.people import birth_dates, identity_numbers, search
from shield.people.ethnicities import ethnicity_codes
from shield.people.merged import refuse_if_merged
from shield.people.models import (
    Alias,
    AliasKind,
    BirthDatePrecision,
    DocumentKind,
    DocumentStatus,
    IdentityDocument,
    Person,
    PersonNameToken,
    Relationship,
    RelationshipKind,
    Sex,
)
from shield.people.names import fold_name, parse_name, repair, split_name

# What person_update accepts. The four birth fields form one group: a change naming any of them
# replaces the whole group (the ones not named are cleared, the precision is inferred if absent).
UPDATABLE_FIELDS = frozenset(
    {
        "full_name",
        "family_name",
        "middle_name",
        "given_name",
        "sex",
        "birth_date",
        "birth_date_precision",
        "estimated_age",
        "age_estimated_on",
        "nationality",
        "ethnicity",
        "languages",
        "home_commune",
        "home_province",
        "contact",
        "disability",
    }
)
BIRTH_FIELDS = ("birth_date", "birth_date_precision", "estimated_age", "age_estimated_on")
NAME_PARTS = ("family_name", "middle_name", "given_name")
# An estimated age is a guess: a CCCD a couple of years off it does not contradict it.
ESTIMATED_BIRTH_YEAR_TOLERANCE = 2

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _max_length(model: type[Any], field: str) -> int:
    length = model._meta.get_field(field).max_length
    assert isinstance(length, int)
    return length


class _Errors:
    """Collects every problem, so the user sees them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: Any) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationFailed(field_errors=self.by_field)


def _text(value: str | None) -> str:
    return repair(value or "")


def _check_length(errors: _Errors, model: type[Any], field: str, value: str) -> None:
    limit = _max_length(model, field)
    if len(value) > limit:
        errors.add(field, _("At most %(limit)d characters.") % {"limit": limit})


def _infer_precision(birth_date: datetime.date | None, estimated_age: int | None) -> str:
    if estimated_age is not None:
        return BirthDatePrecision.ESTIMATED_AGE
    if birth_date is not None:
        return BirthDatePrecision.DAY
    return BirthDatePrecision.UNKNOWN


def _clean_birth(data: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    today = timezone.localdate()
    birth_date: datetime.date | None = data.get("birth_date")
    estimated_age: int | None = data.get("estimated_age")
    estimated_on: datetime.date | None = data.get("age_estimated_on")
    precision = data.get("birth_date_precision") or _infer_precision(birth_date, estimated_age)
    if precision not in BirthDatePrecision.values:
        errors.add("birth_date_precision", _("Choose how precisely the date of birth is known."))
        return {}
    if precision == BirthDatePrecision.ESTIMATED_AGE:
        if estimated_age is None:
            errors.add("estimated_age", _("Enter the estimated age."))
        elif not 0 <= estimated_age <= birth_dates.MAX_ESTIMATED_AGE:
            errors.add("estimated_age", _("An estimated age is between 0 and 120."))
        estimated_on = estimated_on or today
        if estimated_on > today:
            errors.add("age_estimated_on", _("The age cannot have been estimated in the future."))
        if birth_date is not None:
            errors.add(
                "birth_date",
                _("With an estimated age, leave the date of birth empty: it is worked out from the age."),
            )
        birth_date = None
    else:
        if estimated_age is not None:
            errors.add("estimated_age", _("An estimated age needs the precision “estimated age”."))
        if data.get("age_estimated_on") is not None:
            errors.add("age_estimated_on", _("An estimate date needs the precision “estimated age”."))
        estimated_age, estimated_on = None, None
        if precision == BirthDatePrecision.UNKNOWN:
            if birth_date is not None:
                errors.add("birth_date", _("A date of birth needs a precision other than “unknown”."))
        elif birth_date is None:
            errors.add("birth_date", _("Enter the date of birth, or choose another precision."))
        elif birth_date > today:
            errors.add("birth_date", _("The date of birth cannot be in the future."))
    stored = birth_dates.stored_birth(
        precision=precision, birth_date=birth_date, estimated_age=estimated_age, age_estimated_on=estimated_on
    )
    return {
        "birth_date_precision": precision,
        "birth_date": stored.birth_date,
        "birth_year": stored.birth_year,
        "estimated_age": estimated_age,
        "age_estimated_on": estimated_on,
    }


def _clean_names(data: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    full_name = _text(data.get("full_name"))
    if not full_name:
        errors.add("full_name", _("Enter the name as it was written or told."))
    _check_length(errors, Person, "full_name", full_name)
    parsed = parse_name(full_name)._asdict()
    parts = {
        field: _text(data[field]) if data.get(field) is not None else parsed[field.removesuffix("_name")]
        for field in NAME_PARTS
    }
    for field, value in parts.items():
        _check_length(errors, Person, field, value)
    if full_name and not (parts["family_name"] or parts["given_name"]):
        errors.add("given_name", _("Enter at least the given name or the family name."))
    folded = fold_name(" ".join(p for p in parts.values() if p))
    return {"full_name": full_name, **parts, "name_folded": folded[: _max_length(Person, "name_folded")]}


def _clean_place(data: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    commune: Commune | None = data.get("home_commune")
    province: Province | None = data.get("home_province")
    if commune is not None:
        if province is not None and province.pk != commune.province_id:
            errors.add("home_province", _("The commune is in another province."))
        province = commune.province
    return {"home_commune": commune, "home_province": province}


def _clean_languages(value: Iterable[str] | None, errors: _Errors) -> list[str]:
    if isinstance(value, str):
        value = [value]
    languages: list[str] = []
    for item in value or ():
        code = str(item).strip().lower()
        if not _LANGUAGE_CODE.match(code):
            errors.add("languages", _("Use ISO 639 language codes, such as vi or hmn."))
            break
        if code not in languages:
            languages.append(code)
    return languages


def _clean_person(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every stored field of a person from the given values; raises ValidationFailed listing every
    problem at once."""
    errors = _Errors()
    values: dict[str, Any] = {}
    values.update(_clean_names(data, errors))
    sex = data.get("sex") or Sex.UNKNOWN
    if sex not in Sex.values:
        errors.add("sex", _("Choose a value from the list."))
    values["sex"] = sex
    values.update(_clean_birth(data, errors))
    nationality = str(data.get("nationality") or "").strip().upper()
    if nationality and not countries.alpha2(nationality):
        errors.add("nationality", _("Choose a country from the list."))
    values["nationality"] = countries.alpha2(nationality) or nationality
    ethnicity = str(data.get("ethnicity") or "")
    if ethnicity and ethnicity not in ethnicity_codes():
        errors.add("ethnicity", _("Choose a value from the list."))
    values["ethnicity"] = ethnicity
    values["languages"] = _clean_languages(data.get("languages"), errors)
    values.update(_clean_place(data, errors))
    values["contact"] = str(data.get("contact") or "").strip()
    values["disability"] = str(data.get("disability") or "").strip()
    errors.raise_if_any()
    return values


def _index_names(person: Person) -> None:
    """Bring the person's search keys (names, aliases, and the name and year of birth they carry)
    up to date, writing only the difference."""
    aliases = Alias.objects.filter(person=person).values_list("name", flat=True)
    wanted = search.person_name_keys(
        person.full_name, person.family_name, person.middle_name, person.given_name, *aliases
    )
    keys = PersonNameToken.objects.filter(person=person)
    stored = set(keys.values_list("token", flat=True))
    if stale := stored - wanted:
        keys.filter(token__in=stale).delete()
    name, year = person.name_folded, person.birth_year
    keys.exclude(name_folded=name, birth_year=year).update(name_folded=name, birth_year=year)
    if year is None:
        keys.filter(birth_year__isnull=False).update(birth_year=None)
    PersonNameToken.objects.bulk_create(
        PersonNameToken(person=person, token=token, name_folded=name, birth_year=year)
        for token in wanted - stored
    )


def _record_typed_nicknames(actor: User, person: Person) -> None:
    """Each nickname typed in the name field (`Nguyễn Thị Hoa (Hoa Đen)`, `... tức Tí`; see
    `names.split_name`) becomes another name of the person through `alias_add`, once: one the
    person already has (however accented or cased) is not added again."""
    limit = _max_length(Alias, "name_folded")  # a nickname is never longer than the full name
    for nickname in split_name(person.full_name).aliases:
        folded = fold_name(_text(nickname))[:limit]
        if Alias.objects.filter(person=person, name_folded=folded).exists():
            continue
        alias_add(actor=actor, person=person, name=nickname, kind=AliasKind.NICKNAME)


def person_search_keys_refresh(*, person: Person) -> None:
    """Rewrite a person's search keys after rows moved to or from them by another app (a merge
    of two persons moves aliases): the one way other apps touch the key table."""
    _index_names(person)


def _birth_year_tolerance(person: Person) -> int:
    if person.birth_date_precision == BirthDatePrecision.ESTIMATED_AGE:
        return ESTIMATED_BIRTH_YEAR_TOLERANCE
    return 0


def _document_warnings(person: Person, *, kind: str, number: str, issuing_country: str) -> list[str]:
    return [
        w.code
        for w in identity_numbers.check_document(
            kind,
            number,
            issuing_country=issuing_country,
            sex=person.sex,
            birth_year=person.birth_year,
            birth_year_tolerance=_birth_year_tolerance(person),
        )
    ]


def _recheck_documents(person: Person) -> None:
    """After the holder's sex or birth changed, their documents' warnings may have too."""
    now = timezone.now()
    changed = []
    for document in IdentityDocument.objects.filter(person=person, is_active=True):
        warnings = _document_warnings(
            person, kind=document.kind, number=document.number, issuing_country=str(document.issuing_country)
        )
        if warnings != document.warnings:
            document.warnings, document.updated_at = warnings, now
            changed.append(document)
    IdentityDocument.objects.bulk_update(changed, ["warnings", "updated_at"])


@transaction.atomic
def person_register(
    *,
    actor: User,
    owner_agency: Agency,
    full_name: str,
    sex: str,
    birth_date: datetime.date | None = None,
    birth_date_precision: str | None = None,
    estimated_age: int | None = None,
    age_estimated_on: datetime.date | None = None,
    nationality: str = "VN",
    ethnicity: str = "",
    languages: Iterable[str] = (),
    home_commune: Commune | None = None,
    home_province: Province | None = None,
    contact: str = "",
    disability: str = "",
    family_name: str | None = None,
    middle_name: str | None = None,
    given_name: str | None = None,
) -> Person:
    """Register a person, owned by `owner_agency` (whose members' scopes then reach them).

    The name is stored as written and parsed into family, middle and given name; a part given
    here replaces the parsed one. Words of address typed before the name (`Chị`, `Mr`) are no
    part of it (the parts, search keys and candidates leave them out) and each nickname typed
    with it (`(Hoa Đen)`, `tức Tí`) is recorded as another name (`alias_add`).
    `birth_date_precision` is inferred when not given (an estimated age, else a date, else
    unknown); month and year precision store the first day; an estimated age needs
    `estimated_age` and is taken as estimated today unless `age_estimated_on` says otherwise.
    `home_province` follows the commune when a commune is given.

    Raises ValidationFailed with every field's problems at once.
    """
    values = _clean_person(
        {
            "full_name": full_name,
            "family_name": family_name,
            "middle_name": middle_name,
            "given_name": given_name,
            "sex": sex,
            "birth_date": birth_date,
            "birth_date_precision": birth_date_precision,
            "estimated_age": estimated_age,
            "age_estimated_on": age_estimated_on,
            "nationality": nationality,
            "ethnicity": ethnicity,
            "languages": languages,
            "home_commune": home_commune,
            "home_province": home_province,
            "contact": contact,
            "disability": disability,
        }
    )
    person = Person(**values, owner_agency=owner_agency, registered_by=actor)
    person.save(force_insert=True)
    _index_names(person)
    _record_typed_nicknames(actor, person)
    recorded = [name for name, value in values.items() if value not in (None, "", [])]
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=person,
        changed_fields=[*recorded, "owner_agency", "registered_by"],
    )
    return person


def _field_value(person: Person, field: str) -> Any:
    if field in ("home_commune", "home_province"):
        return getattr(person, f"{field}_id")
    return getattr(person, field)


def _comparable(field: str, value: Any) -> Any:
    if field in ("home_commune", "home_province"):
        # The stored side arrives as the *_id value, the requested side as a model instance.
        return getattr(value, "pk", value)
    if field == "nationality":
        return str(value or "")
    return value


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int | None, **changes: Any) -> Person:
    """Change a person's details; `changes` takes the keyword arguments of `person_register`
    except `actor` and `owner_agency` (see UPDATABLE_FIELDS).

    `expected_version` is the version the editor read: None raises VersionRequired, a stale one
    StaleVersion, and in both cases nothing is written. A new `full_name` is parsed again unless
    parts are given too; a part given alone corrects the parse; a nickname typed in it that the
    person does not have yet is recorded as another name, as at registration. The four birth fields change as
    one group: naming any of them replaces the others (cleared unless given). The search form of
    the name, the year of birth, the home province, the name keys and the documents' warnings
    follow. The audit event lists the changed field names only.
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"person_update() got unexpected fields: {', '.join(sorted(unknown))}")
    if expected_version is None:
        raise VersionRequired()
    refuse_if_merged(person)
    data: dict[str, Any] = {field: getattr(person, field) for field in UPDATABLE_FIELDS}
    data.update(changes)
    if "full_name" in changes:
        for part in NAME_PARTS:
            data[part] = changes.get(part)
    if changes.get("home_commune") is not None and "home_province" not in changes:
        data["home_province"] = None  # follows the new commune; clearing the commune keeps it
    if any(f in changes for f in BIRTH_FIELDS):
        for field in BIRTH_FIELDS:
            data[field] = changes.get(field)
    elif person.birth_date_precision == BirthDatePrecision.ESTIMATED_AGE:
        data["birth_date"] = None  # derived from the age: not an input
    values = _clean_person(data)

    changed = [f for f, v in values.items() if _comparable(f, v) != _comparable(f, _field_value(person, f))]
    if not changed:
        if not Person.objects.filter(pk=person.pk, version=expected_version).exists():
            raise StaleVersion()
        return person
    before = {f: getattr(person, f) for f in changed}
    for field in changed:
        setattr(person, field, values[field])
    try:
        save_versioned(person, expected_version=expected_version, fields=changed)
    except Exception:
        # Leave the caller's instance as it was read: nothing was written.
        for field, value in before.items():
            setattr(person, field, value)
        raise
    if set(changed) & {"full_name", "name_folded", "birth_year", *NAME_PARTS}:
        _index_names(person)
    if "full_name" in changed:
        _record_typed_nicknames(actor, person)
    if set(changed) & {"sex", "birth_year", "birth_date_precision"}:
        _recheck_documents(person)
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=person, changed_fields=changed)
    return person


@transaction.atomic
def document_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    number: str,
    issuing_country: str = "VN",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> IdentityDocument:
    """Record a document the person carries. A number that contradicts the person (CCCD sex,
    year of birth or province code; a malformed CMND or passport number) is saved with warnings,
    never refused: papers are often borrowed. The same active document twice is refused."""
    refuse_if_merged(person)
    errors = _Errors()
    if kind not in DocumentKind.values:
        errors.add("kind", _("Choose a value from the list."))
    number = " ".join((number or "").split())
    normalized = identity_numbers.normalize_number(number)
    if not normalized:
        errors.add("number", _("Enter the number as it is written on the document."))
    _check_length(errors, IdentityDocument, "number", number)
    country = countries.alpha2(str(issuing_country or "").strip().upper())
    if not country:
        errors.add("issuing_country", _("Choose a country from the list."))
    today = timezone.localdate()
    if issued_on is not None and issued_on > today:
        errors.add("issued_on", _("The date of issue cannot be in the future."))
    if issued_on is not None and expires_on is not None and expires_on < issued_on:
        errors.add("expires_on", _("A document cannot expire before it was issued."))
    if (
        normalized
        and IdentityDocument.objects.filter(
            person=person, kind=kind, number_normalized=normalized, is_active=True
        ).exists()
    ):
        errors.add("number", _("This document is already recorded for this person."))
    errors.raise_if_any()
    document = IdentityDocument.objects.create(
        person=person,
        kind=kind,
        number=number,
        number_normalized=normalized,
        issuing_country=country,
        issued_on=issued_on,
        expires_on=expires_on,
        warnings=_document_warnings(person, kind=kind, number=number, issuing_country=country),
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=document,
        changed_fields=[
            "person",
            "kind",
            "number",
            "issuing_country",
            *(["issued_on"] if issued_on else []),
            *(["expires_on"] if expires_on else []),
        ],
    )
    return document


def _retirement_reason(errors: _Errors, reason: str) -> str:
    reason = _text(reason).strip()
    if not reason:
        errors.add("reason", _("Say why the entry is wrong."))
    _check_length(errors, IdentityDocument, "status_reason", reason)
    return reason


def _lock_current(document: IdentityDocument, expected_version: int | None) -> IdentityDocument:
    if expected_version is None:
        raise VersionRequired()
    locked = IdentityDocument.objects.select_for_update().get(pk=document.pk)
    if locked.version != expected_version:
        raise StaleVersion()
    if locked.status != DocumentStatus.CURRENT:
        raise ValidationFailed(
            field_errors={"__all__": [str(_("This entry was already corrected or marked entered in error."))]}
        )
    return locked


@transaction.atomic
def document_correct(
    *,
    actor: User,
    document: IdentityDocument,
    expected_version: int | None,
    reason: str,
    kind: str,
    number: str,
    issuing_country: str = "VN",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> IdentityDocument:
    """Correct a document entered wrongly: a new entry replaces it, and the old one is kept, marked
    superseded (with who, when and why) and no longer counted for matching or linkage.
    Returns the new entry."""
    refuse_if_merged(document.person)
    errors = _Errors()
    reason = _retirement_reason(errors, reason)
    errors.raise_if_any()
    old = _lock_current(document, expected_version)
    if (
        kind == old.kind
        and identity_numbers.normalize_number(" ".join((number or "").split())) == old.number_normalized
        and str(issuing_country or "").strip().upper() == str(old.issuing_country)
        and issued_on == old.issued_on
        and expires_on == old.expires_on
    ):
        raise ValidationFailed(field_errors={"number": [str(_("The correction changes nothing."))]})
    # The old entry leaves the active set first, so its number does not count as a duplicate.
    now = timezone.now()
    IdentityDocument.objects.filter(pk=old.pk).update(is_active=False)
    replacement = document_add(
        actor=actor,
        person=old.person,
        kind=kind,
        number=number,
        issuing_country=issuing_country,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    old.is_active, old.status, old.replaced_by = False, DocumentStatus.SUPERSEDED, replacement
    old.status_reason, old.status_changed_at, old.status_changed_by = reason, now, actor
    fields = ["is_active", "status", "replaced_by", "status_reason", "status_changed_at", "status_changed_by"]
    save_versioned(old, expected_version=old.version, fields=fields)
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=old, changed_fields=fields, reason=reason)
    document.refresh_from_db()
    return replacement


@transaction.atomic
def document_mark_entered_in_error(
    *, actor: User, document: IdentityDocument, expected_version: int | None, reason: str
) -> IdentityDocument:
    """Mark a document that should never have been recorded: kept with who, when and why, no
    longer shown as current nor counted for matching or linkage. Nothing is deleted."""
    refuse_if_merged(document.person)
    errors = _Errors()
    reason = _retirement_reason(errors, reason)
    errors.raise_if_any()
    old = _lock_current(document, expected_version)
    old.is_active, old.status = False, DocumentStatus.ENTERED_IN_ERROR
    old.status_reason, old.status_changed_at, old.status_changed_by = reason, timezone.now(), actor
    fields = ["is_active", "status", "status_reason", "status_changed_at", "status_changed_by"]
    save_versioned(old, expected_version=old.version, fields=fields)
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=old, changed_fields=fields, reason=reason)
    return old


@transaction.atomic
def alias_add(*, actor: User, person: Person, name: str, kind: str = AliasKind.NICKNAME) -> Alias:
    """Record another name the person is known by; search finds the person by it from then on."""
    refuse_if_merged(person)
    errors = _Errors()
    name = _text(name)
    folded = fold_name(name)
    if not folded:
        errors.add("name", _("Enter the name."))
    _check_length(errors, Alias, "name", name)
    if kind not in AliasKind.values:
        errors.add("kind", _("Choose a value from the list."))
    folded = folded[: _max_length(Alias, "name_folded")]
    if folded and Alias.objects.filter(person=person, name_folded=folded).exists():
        errors.add("name", _("This name is already recorded for this person."))
    errors.raise_if_any()
    alias = Alias.objects.create(person=person, name=name, name_folded=folded, kind=kind)
    _index_names(person)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=alias, changed_fields=["person", "name", "kind"])
    return alias


@transaction.atomic
def relationship_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    related_person: Person | None = None,
    related_name: str = "",
    notes: str = "",
) -> Relationship:
    """Record someone related to the person: a person in the registry (obtained through
    `selectors.person_get_for` like `person`) or, when they are not registered, their name."""
    refuse_if_merged(person)
    if related_person is not None:
        refuse_if_merged(related_person)
    errors = _Errors()
    if kind not in RelationshipKind.values:
        errors.add("kind", _("Choose a value from the list."))
    related_name = _text(related_name)
    _check_length(errors, Relationship, "related_name", related_name)
    if related_person is None and not related_name:
        errors.add("related_name", _("Choose a person from the registry or enter their name."))
    if related_person is not None and related_person.pk == person.pk:
        errors.add("related_person", _("A person cannot be related to themselves."))
    errors.raise_if_any()
    relationship = Relationship.objects.create(
        person=person,
        kind=kind,
        related_person=related_person,
        related_name=related_name,
        notes=(notes or "").strip(),
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=relationship,
        changed_fields=[
            "person",
            "kind",
            *(["related_person"] if related_person else []),
            *(["related_name"] if related_name else []),
            *(["notes"] if relationship.notes else []),
        ],
    )
    return relationship
