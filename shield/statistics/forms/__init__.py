"""What a statistics page may be asked for: the dashboard's year and series, the pivot's indicator,
period and two dimensions, a table download. Choices come from the indicator and dimension data,
so a wrong value is a field error ("not one of the choices"), never a 500."""

from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from shield.statistics.dimensions import dimension_get
from shield.statistics.indicators import indicator_get, indicator_list
from shield.statistics.periods import Period

DEFAULT_INDICATOR = "victims_detected"
YEARS_SHOWN = 10  # the year picker offers this year and the nine before it
YEAR = "year"
QUARTER = "quarter"
MONTH = "month"
PERIOD_MAX_LENGTH = 7  # "2025-Q3", "2025-07"
CODE_MAX_LENGTH = 40
CSV = "csv"
XLSX = "xlsx"


def this_year() -> int:
    return timezone.localdate().year


def year_choices() -> list[tuple[str, str]]:
    last = this_year()
    return [(str(y), str(y)) for y in range(last, last - YEARS_SHOWN, -1)]


def indicator_choices() -> list[tuple[str, str]]:
    language = translation.get_language() or "vi"
    return [(i.code, i.name(language)) for i in indicator_list()]


def dimension_choices(indicator: str | None = None) -> list[tuple[str, str]]:
    """The dimensions `indicator` may be cut by (every dimension any indicator has, when None)."""
    language = translation.get_language() or "vi"
    codes: list[str] = []
    for chosen in indicator_list():
        if indicator is None or chosen.code == indicator:
            codes.extend(c for c in chosen.dimensions if c not in codes)
    return [(c, dimension_get(c).label(language)) for c in codes]


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices, required=False)
    series = forms.ChoiceField(
        label=_("Series by"),
        choices=[(YEAR, _("Year (five years)")), (QUARTER, _("Quarter")), (MONTH, _("Month"))],
        required=False,
    )

    def values(self) -> tuple[int, str, str]:
        """(year, indicator, series) with the defaults for what was left empty."""
        data = self.cleaned_data
        return (
            data.get("year") or this_year(),
            data.get("indicator") or DEFAULT_INDICATOR,
            data.get("series") or YEAR,
        )


class PeriodField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", PERIOD_MAX_LENGTH)
        kwargs.setdefault("help_text", _("A year (2025), a quarter (2025-Q3) or a month (2025-07)."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return Period.parse(text).code
        except ValueError:
            raise forms.ValidationError(
                _("Enter a year (2025), a quarter (2025-Q3) or a month (2025-07)."), code="period"
            ) from None


class PivotForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)
    period = PeriodField(label=_("Period"))
    rows = forms.ChoiceField(label=_("Rows"), choices=dimension_choices)
    cols = forms.ChoiceField(label=_("Columns"), choices=dimension_choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator = data.get("indicator")
        if indicator:
            allowed = indicator_get(indicator).dimensions
            for field in ("rows", "cols"):
                if data.get(field) and data[field] not in allowed:
                    self.add_error(field, _("This indicator cannot be cut by this dimension."))
        if data.get("rows") and data.get("rows") == data.get("cols"):
            self.add_error("cols", _("Choose a dimension other than the rows'."))
        return data


class DownloadForm(forms.Form):
    """One table to download: an indicator for a period by up to two of its dimensions."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=indicator_choices)
    period = PeriodField(label=_("Period"))
    dimensions = forms.CharField(label=_("Dimensions"), max_length=2 * CODE_MAX_LENGTH + 1, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[(CSV, "CSV"), (XLSX, "XLSX")])

    def clean_dimensions(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("dimensions") or ""
        codes = tuple(c for c in text.split(",") if c)
        if len(codes) > 2 or len(set(codes)) != len(codes):
            raise forms.ValidationError(_("Name at most two different dimensions."), code="dimensions")
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") and "dimensions" in data:
            allowed = indicator_get(data["indicator"]).dimensions
            if any(c not in allowed for c in data["dimensions"]):
                self.add_error("dimensions", _("This indicator cannot be cut by this dimension."))
        return data


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
