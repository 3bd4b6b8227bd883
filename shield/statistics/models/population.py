"""The population table that per-100,000 rates need, uploaded as CSV in numbered versions.

An upload is never changed: a correction is a new upload. For a year, the figures in force are
those of the newest upload that holds that year; older uploads stay, so an old export can be
explained.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shield.core.models import BaseModel
from shield.statistics.tables import TOTAL


class PopulationSex(models.TextChoices):
    """SDMX's SEX codes."""

    TOTAL = TOTAL, _("Total")
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class PopulationAge(models.TextChoices):
    """SDMX's AGE codes for UNODC's two age groups."""

    TOTAL = TOTAL, _("All ages")
    CHILDREN = "Y0T17", _("0 to 17 years")
    ADULTS = "Y_GE18", _("18 years or over")


class PopulationUpload(BaseModel):
    number = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    source = models.CharField(_("source"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    years = models.JSONField(_("years"), default=list, editable=False)
    row_count = models.PositiveIntegerField(_("rows imported"), default=0)
    skipped_rows = models.PositiveIntegerField(_("rows left out"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("population upload")
        verbose_name_plural = _("population uploads")
        constraints = [models.CheckConstraint(condition=~Q(source=""), name="population_upload_source")]

    def __str__(self) -> str:
        return f"v{self.number}"


class PopulationFigure(BaseModel):
    upload = models.ForeignKey(
        PopulationUpload, on_delete=models.PROTECT, related_name="figures", verbose_name=_("upload")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province (empty: whole country)"),
    )
    sex = models.CharField(_("sex"), max_length=2, choices=PopulationSex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=PopulationAge.choices)
    count = models.PositiveBigIntegerField(_("population"))

    class Meta:
        ordering = ["year", "province__code", "sex", "age_group"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        indexes = [models.Index(fields=["year", "upload"], name="population_year_upload")]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=PopulationSex.values), name="population_sex_known"),
            models.CheckConstraint(
                condition=Q(age_group__in=PopulationAge.values), name="population_age_known"
            ),
            models.UniqueConstraint(
                fields=["upload", "year", "province", "sex", "age_group"],
                condition=Q(province__isnull=False),
                name="population_one_figure_per_province",
            ),
            models.UniqueConstraint(
                fields=["upload", "year", "sex", "age_group"],
                condition=Q(province__isnull=True),
                name="population_one_national_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.province_id or 'VN'} {self.sex} {self.age_group}: {self.count}"
