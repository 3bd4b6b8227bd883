"""Facts kept for counting: what each case says once its decisions, details and first contact are
read, so a table is a GROUP BY over one indexed table instead of per-case subqueries.

Only what takes subqueries or date arithmetic to derive is kept here (latest identification status,
first decision dates and the ages on them, first-contact channel, forms of exploitation); the
person's sex, citizenship and province, their individual and the owning agency are joined live, so
merges, linkage runs and transfers count at once. Written only by `shield.statistics.facts`
(refreshed incrementally; see there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFact(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("case")
    )
    # The latest identification decision's status ("" when none was taken).
    status = models.CharField(_("identification status"), max_length=20, blank=True)
    # The first decision saying possible or identified victim, and the first saying identified.
    detected_on = models.DateField(_("detected on"), null=True, blank=True)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    # Age in whole years on those days, from the latest birth date the person's record allows
    # (`people.birth_dates`): an uncertain age counts as the registry says. Re-derived when the
    # person is edited or merged.
    age_detected = models.PositiveSmallIntegerField(_("age when detected"), null=True, blank=True)
    age_identified = models.PositiveSmallIntegerField(_("age when identified"), null=True, blank=True)
    channel = models.CharField(_("first contact channel"), max_length=20)
    sexual = models.BooleanField(_("sexual exploitation"), default=False)
    forced_labour = models.BooleanField(_("forced labour"), default=False)
    other_forms = models.BooleanField(_("other forms of exploitation"), default=False)
    forms_unknown = models.BooleanField(_("form of exploitation unknown"), default=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("case fact")
        verbose_name_plural = _("case facts")
        indexes = [
            models.Index(fields=["detected_on", "status"], name="case_fact_detected"),
            models.Index(fields=["identified_on", "status"], name="case_fact_identified"),
        ]

    def __str__(self) -> str:
        return str(self.case_id)


class FactRefresh(models.Model):
    """How far the facts are up to date: every change recorded before `through` is in them."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    through = models.DateTimeField(_("up to date through"))
    rows = models.PositiveIntegerField(_("rows refreshed last time"), default=0)

    class Meta:
        verbose_name = _("refresh of facts")
        verbose_name_plural = _("refreshes of facts")

    def __str__(self) -> str:
        return f"{self.name}: {self.through:%Y-%m-%d %H:%M:%S}"
