"""Forms of the export and population pages (field errors come back field by field)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shield.statistics.shapes import population
from shield.statistics.shapes.exports import MAX_K, MIN_K
from shield.statistics.shapes.kanonymity import CTDC_K

FIRST_YEAR = 2000


def _this_year() -> int:
    return timezone.localdate().year


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Page")), ("csv", "CSV"), ("xlsx", "XLSX")],
    )

    def clean_year(self) -> int:
        value: int = self.cleaned_data["year"]
        if value > _this_year():
            raise forms.ValidationError(_("Choose a year that has begun."))
        return value


class HtcdsRequestForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    k = forms.IntegerField(
        label=_("k (each combination of the quasi-identifiers shared by at least k people)"),
        min_value=MIN_K,
        max_value=MAX_K,
        initial=CTDC_K,
    )

    def clean_year(self) -> int:
        value: int = self.cleaned_data["year"]
        if value > _this_year():
            raise forms.ValidationError(_("Choose a year that has begun."))
        return value


class PopulationUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(label=_("Source of the figures"), max_length=200)
    on_error = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=[
            (population.ON_ERROR_NOTHING, _("Import nothing (fix the file and upload it again)")),
            (population.ON_ERROR_VALID_ROWS, _("Import the rows without errors and list the others")),
        ],
        initial=population.ON_ERROR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > population.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8.")) from error


class TableExportForm(forms.Form):
    """One indicator for one period cut by up to two dimensions, as a file."""

    indicator = forms.CharField(label=_("Indicator"), max_length=60)
    period = forms.CharField(label=_("Period"), max_length=30)
    dimensions = forms.CharField(label=_("Dimensions"), max_length=120, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])

    def clean_dimensions(self) -> tuple[str, ...]:
        raw: str = self.cleaned_data.get("dimensions") or ""
        chosen = tuple(d.strip() for d in raw.split(",") if d.strip())
        if len(chosen) > 2:
            raise forms.ValidationError(_("Choose at most two dimensions."))
        return chosen
