"""Provinces (34) and communes (3,321) as reorganised on 1 July 2025, the 63 pre-2025 province
names that old records use, and the border gates where screening happens."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shield.core.models import BaseModel


class Province(BaseModel):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(_("code name"), max_length=100, unique=True)
    division_type = models.CharField(_("division type"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(BaseModel):
    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.CharField(_("code name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=50)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class FormerProvince(BaseModel):
    """One of the 63 provinces before 1 July 2025 and the province that absorbed it."""

    code = models.CharField(_("former code"), max_length=2, unique=True)
    name = models.CharField(_("former name"), max_length=100, unique=True)
    successor = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="former_provinces",
        verbose_name=_("province since 2025"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self) -> str:
        return self.name


class BorderGate(BaseModel):
    class Kind(models.TextChoices):
        INTERNATIONAL_ROAD = "international_road", _("International road border gate")
        MAIN_ROAD = "main_road", _("Main road border gate")
        SECONDARY = "secondary", _("Secondary border gate")
        RAIL = "rail", _("Railway border gate")
        AIRPORT = "airport", _("International airport")
        SEAPORT = "seaport", _("Seaport")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="border_gates", verbose_name=_("province")
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    neighbour_country = CountryField(_("neighbouring country"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("border gate")
        verbose_name_plural = _("border gates")

    def __str__(self) -> str:
        return self.name
