"""Facts kept for counting: what each case says once its decisions, details and first contact are
read, so a table is a GROUP BY over one indexed table instead of per-case subqueries.

What takes subqueries or date arithmetic to derive is kept here (latest identification status,
first decision dates and the ages on them, first-contact channel, forms of exploitation), and so is
what the year's tables of victims are cut by, copied from the person: their record, their
individual (the linkage's, else the record itself), sex, citizenship and home province. A year's
report then reads this one table, no join. The copies are refreshed with the rest when the person
is edited or merged, or a linkage run or a reviewer reassigns their individual (`facts` looks at
every one of those). The owning agency is still joined live (scope, agency kind), so a transfer
counts at once. Written only by `shield.statistics.facts` (refreshed incrementally; see there)."""

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
    # Copied from the person (see the module's note): the record, its individual (or the record
    # itself when no linkage run has seen it), and the person's sex, citizenship and home province
    # ("" when none is recorded).
    record = models.UUIDField(_("record of the person"), null=True, blank=True)
    unit = models.UUIDField(_("unique individual"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    province = models.CharField(_("home province"), max_length=20, blank=True)
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
