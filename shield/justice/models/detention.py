"""A child party's deprivation of liberty: each episode (police custody, temporary detention, a
sentence served), where, whether apart from adults, the family's visits, a death, the release and
the aftercare received. The UNODC/UNICEF juvenile-justice indicators 2-8 and 11 are counted from
these records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shield.core.encryption import EncryptedTextField
from shield.core.models import BaseModel, VersionedModel

USER = settings.AUTH_USER_MODEL

PLACE_NAME_MAX = 200
AFTERCARE_MAX = 500


class DetentionKind(models.TextChoices):
    # "Custody" alone is the family-law matter (nuôi con): police custody has its own texts.
    POLICE_CUSTODY = "police_custody", pgettext_lazy("detention", "Police custody (held in custody)")
    TEMPORARY_DETENTION = "temporary_detention", pgettext_lazy("detention", "Temporary detention")
    SENTENCE = "sentence", pgettext_lazy("detention", "Serving a sentence")


# Held before any sentence: the manual's "pre-sentence detention" (indicators 3 and 4).
PRE_SENTENCE_KINDS = (DetentionKind.POLICE_CUSTODY, DetentionKind.TEMPORARY_DETENTION)


class PlaceKind(models.TextChoices):
    POLICE_CELL = "police_cell", _("Police cell")
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    REFORMATORY_SCHOOL = "reformatory_school", _("Reformatory school")
    PRISON = "prison", _("Prison")


class DetentionEpisode(VersionedModel):
    """One continuous stay of a child party in one kind of detention at one place.

    Open while `ended_on` is empty. A death ends the episode on that day (`died_on == ended_on`);
    aftercare is recorded only for a release (an ended episode without a death)."""

    party = models.ForeignKey(
        "justice.Party",
        on_delete=models.PROTECT,
        related_name="detention_episodes",
        verbose_name=_("party"),
    )
    kind = models.CharField(_("kind of detention"), max_length=24, choices=DetentionKind.choices)
    place_name = models.CharField(_("place of detention"), max_length=PLACE_NAME_MAX)
    place_kind = models.CharField(_("kind of place"), max_length=24, choices=PlaceKind.choices)
    started_on = models.DateField(_("detained from"))
    # The times, when known: the custody and detention limits are counted in hours. Unknown, the
    # episode counts from the start of its first day to the end of its last (as durations do).
    started_time = models.TimeField(_("detained from (time)"), null=True, blank=True)
    ended_on = models.DateField(_("detained until"), null=True, blank=True)
    ended_time = models.TimeField(_("released at (time)"), null=True, blank=True)
    separated_from_adults = models.BooleanField(_("held apart from adults"))
    died_on = models.DateField(_("died in detention on"), null=True, blank=True)
    aftercare_received = models.BooleanField(_("received aftercare"), null=True, blank=True)
    aftercare_detail = models.CharField(_("aftercare given"), max_length=AFTERCARE_MAX, blank=True)
    # Held beyond the child's custody or detention limit: the written reason of an assigned officer
    # holding `justice.justify_exception` (the interviews' one override path), shown with the episode.
    limit_justification = EncryptedTextField(_("justification for exceeding the limit"), blank=True)
    limit_justified_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("limit exceeded justified by"),
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by agency")
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("detention episode")
        verbose_name_plural = _("detention episodes")
        indexes = [
            models.Index(fields=["party", "started_on"], name="detention_party"),
            models.Index(fields=["started_on", "ended_on"], name="detention_dates"),
            models.Index(
                fields=["kind", "started_on"],
                condition=Q(ended_on__isnull=True),
                name="detention_open_kind",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DetentionKind.values), name="detention_kind_known"),
            models.CheckConstraint(
                condition=Q(place_kind__in=PlaceKind.values), name="detention_place_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="detention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(ended_on=F("died_on")),
                name="detention_death_ends_episode",
            ),
            models.CheckConstraint(
                condition=Q(aftercare_received__isnull=True)
                | (Q(ended_on__isnull=False) & Q(died_on__isnull=True)),
                name="detention_aftercare_after_release",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class FamilyVisit(BaseModel):
    """A dated contact between the detained child and a parent, guardian or adult family member
    (a visit to the child or the child's visit home): indicator 8 asks whether the last 3 months
    held one, so each is kept with its date rather than as a count."""

    episode = models.ForeignKey(
        DetentionEpisode, on_delete=models.PROTECT, related_name="family_visits", verbose_name=_("episode")
    )
    visited_on = models.DateField(_("visit date"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-visited_on", "-created_at"]
        verbose_name = _("family visit")
        verbose_name_plural = _("family visits")
        indexes = [models.Index(fields=["episode", "visited_on"], name="family_visit_episode")]
