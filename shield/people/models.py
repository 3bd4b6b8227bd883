"""People in the registry: who they are, their identity documents, other names and relations.

Writes go through `shield.people.services`, reads through `shield.people.selectors`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel
from shield.people import birth_dates, identity_numbers
from shield.people.ethnicities import ethnicity_choices


class Sex(models.TextChoices):
    """Values as in IOM's HTCDS."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class BirthDatePrecision(models.TextChoices):
    DAY = birth_dates.DAY, _("Exact date")
    MONTH = birth_dates.MONTH, _("Month and year")
    YEAR = birth_dates.YEAR, _("Year only")
    ESTIMATED_AGE = birth_dates.ESTIMATED_AGE, _("Estimated age")
    UNKNOWN = birth_dates.UNKNOWN, _("Unknown")


class Person(VersionedModel):
    """One person as registered by an agency.

    `birth_date` holds the first day of the month or year for month and year precision, and an
    approximate date derived from `estimated_age` on `age_estimated_on` for an estimated age;
    `birth_year` repeats its year for filtering. `name_folded` and `home_province` are derived by
    the services too.
    """

    full_name = models.CharField(_("full name (as written)"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    # Indexed with `id` by `person_name_order` (Meta.indexes), which also serves the list's order.
    name_folded = models.CharField(_("name for search"), max_length=200, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth known to"),
        max_length=20,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.UNKNOWN,
    )
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True, db_index=True)
    nationality = CountryField(_("nationality"), default="VN", blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=10, choices=ethnicity_choices, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    home_commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home commune"),
    )
    home_province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home province"),
    )
    contact = EncryptedTextField(_("contact details"), blank=True)
    disability = models.TextField(_("disability"), blank=True)
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("responsible agency"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["name_folded", "id"], name="person_name_order"),
            # The statistics facts' incremental refresh looks for persons edited lately.
            models.Index(fields=["updated_at"], name="person_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(full_name=""), name="person_full_name_required"),
            models.CheckConstraint(
                condition=Q(estimated_age__isnull=True) | Q(estimated_age__lte=birth_dates.MAX_ESTIMATED_AGE),
                name="person_estimated_age_range",
            ),
            # Each precision comes with the fields it needs, and only those.
            models.CheckConstraint(
                condition=(
                    Q(
                        birth_date_precision__in=[
                            BirthDatePrecision.DAY,
                            BirthDatePrecision.MONTH,
                            BirthDatePrecision.YEAR,
                        ],
                        birth_date__isnull=False,
                        estimated_age__isnull=True,
                        age_estimated_on__isnull=True,
                    )
                    | Q(
                        birth_date_precision=BirthDatePrecision.ESTIMATED_AGE,
                        birth_date__isnull=False,
                        estimated_age__isnull=False,
                        age_estimated_on__isnull=False,
                    )
                    | Q(
                        birth_date_precision=BirthDatePrecision.UNKNOWN,
                        birth_date__isnull=True,
                        estimated_age__isnull=True,
                        age_estimated_on__isnull=True,
                    )
                ),
                name="person_birth_precision_fields",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True, birth_year__isnull=True)
                | Q(birth_date__isnull=False, birth_year__isnull=False),
                name="person_birth_year_with_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_child(self, on: datetime.date | None = None) -> bool | None:
        """Under 18 on `on` (today by default); None when the age is unknown.

        With month, year or estimated-age precision a person counts as a child if any birth date
        the record allows makes them under 18 (see `birth_dates.is_child`).
        """
        return birth_dates.is_child(
            on=on or timezone.localdate(),
            precision=self.birth_date_precision,
            birth_date=self.birth_date,
            estimated_age=self.estimated_age,
            age_estimated_on=self.age_estimated_on,
        )


class PersonNameToken(models.Model):
    """One search key of a person: a word of their names (full name, parsed parts, aliases) or a
    pair of such words (`hoa nguyen`); see `shield.people.search`.

    Derived by the services, never edited. The composite primary key (token, person) answers
    "does this person have this key?"; the index on (token, name_folded, person, birth_year) lists
    the persons with a key in the order the registry lists people, so a search reads its page
    from one range and stops. `name_folded` and `birth_year` repeat the person's for that.
    """

    pk = models.CompositePrimaryKey("token", "person")
    token = models.CharField(_("name key"), max_length=60)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="name_keys", verbose_name=_("person")
    )
    name_folded = models.CharField(_("name for search"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [
            # The year comes last: it does not change the order, but a search by name and year
            # checks it in the index without reading the rows.
            models.Index(fields=["token", "name_folded", "person", "birth_year"], name="name_key_ordered")
        ]

    def __str__(self) -> str:
        return self.token


class DocumentKind(models.TextChoices):
    CCCD = identity_numbers.CCCD, _("Personal identification card (CCCD)")
    CMND = identity_numbers.CMND, _("Old identity card (CMND)")
    PASSPORT = identity_numbers.PASSPORT, _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    FOREIGN_ID = "foreign_id", _("Foreign identity document")
    OTHER = "other", _("Other document")


class DocumentStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Corrected: replaced by a new entry")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")


class IdentityDocument(VersionedModel):
    """A document a person carries or once carried. `warnings` holds the codes of what in its
    number contradicts the holder (`identity_numbers.WarningCode`); they never refuse a save."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="documents", verbose_name=_("person")
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number (as written)"), max_length=50)
    number_normalized = models.CharField(_("number for search"), max_length=50, db_index=True, editable=False)
    issuing_country = CountryField(_("issuing country"), default="VN")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True, editable=False)
    is_active = models.BooleanField(pgettext_lazy("document in force", "active"), default=True)
    # A wrong entry is never deleted: it is superseded by its correction or marked entered in
    # error, kept with who, when and why, and no longer active (so matching and linkage skip it).
    status = models.CharField(
        _("status of the entry"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.CURRENT,
    )
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    class Meta:
        ordering = ["-is_active", "kind", "created_at"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.CheckConstraint(condition=~Q(number_normalized=""), name="document_number_required"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="document_expires_after_issue",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "number_normalized"],
                condition=Q(is_active=True),
                name="document_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.CURRENT)
                | (Q(is_active=False) & ~Q(status_reason="") & Q(status_changed_at__isnull=False)),
                name="document_retired_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.SUPERSEDED) | Q(replaced_by__isnull=False),
                name="document_superseded_has_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def warning_messages(self) -> list[str]:
        """The stored warnings as sentences in the active language."""
        return [identity_numbers.warning_message(code) for code in self.warnings or []]


class AliasKind(models.TextChoices):
    NICKNAME = "nickname", _("Nickname or name used")
    SPELLING = "spelling", _("Other spelling")
    PREVIOUS_NAME = "previous_name", _("Previous name")
    DOCUMENT_NAME = "document_name", _("Name on a document")


class Alias(BaseModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="aliases", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(_("name for search"), max_length=200, db_index=True, editable=False)
    kind = models.CharField(
        _("kind of name"), max_length=20, choices=AliasKind.choices, default=AliasKind.NICKNAME
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="alias_name_required")]

    def __str__(self) -> str:
        return self.name


class RelationshipKind(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    SPOUSE = "spouse", _("Spouse or partner")
    COMPANION = "companion", _("Travel companion")
    OTHER = "other", _("Other")


class Relationship(BaseModel):
    """A person related to `person`: someone in the registry (`related_person`) or only named."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="relationships", verbose_name=_("person")
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    related_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="related_to",
        verbose_name=_("related person"),
    )
    related_name = models.CharField(_("name of the related person"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=Q(related_person__isnull=False) | ~Q(related_name=""),
                name="relationship_names_someone",
            ),
            models.CheckConstraint(
                condition=Q(related_person__isnull=True) | ~Q(related_person=F("person")),
                name="relationship_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.related_person or self.related_name}"
