"""Forms of the detention pages: bounded fields, dates as dd/mm/yyyy, the service checks the rest."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shield.cases.forms import DATE_INPUT_FORMATS, BootstrapMixin
from shield.core.forms import VersionedForm
from shield.justice.children.services import MAX_JUSTIFICATION
from shield.justice.detention.selectors import ENDED, LIMITS, OPEN
from shield.justice.models import DetentionKind, PlaceKind
from shield.justice.models.detention import AFTERCARE_MAX, PLACE_NAME_MAX

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(
            format="%H:%M", attrs={"placeholder": _("hh:mm"), "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


def _yes_no(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


class _Styled(BootstrapMixin):
    def _init_style(self) -> None:
        self._style()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._mark_invalid()


class EpisodeFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of detention"), choices=DetentionKind.choices)
    place_name = forms.CharField(label=_("Place of detention"), max_length=PLACE_NAME_MAX)
    place_kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    started_on = _date(_("Detained from"))
    started_time = _time(_("At (time, if known)"))
    ended_on = _date(_("Released on (empty while held)"), required=False)
    ended_time = _time(_("Released at (time, if known)"))
    separated_from_adults = forms.ChoiceField(
        label=_("Held apart from adults"), choices=YES_NO, widget=forms.RadioSelect
    )
    died_on = _date(_("Died in detention on"), required=False)
    aftercare_received = forms.ChoiceField(
        label=_("Received aftercare after release"),
        choices=[("", _("Not recorded")), *YES_NO],
        required=False,
    )
    aftercare_detail = forms.CharField(
        label=_("Aftercare given"),
        max_length=AFTERCARE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    justification = forms.CharField(
        label=_("Justification for holding the child beyond the limit"),
        help_text=_("Only if the release is after the child's limit: an assigned officer explains why."),
        max_length=MAX_JUSTIFICATION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["separated_from_adults"] = data["separated_from_adults"] == YES
        data["aftercare_received"] = _yes_no(data.get("aftercare_received") or "")
        return data


class EpisodeForm(_Styled, EpisodeFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_style()


class EpisodeEditForm(_Styled, VersionedForm, EpisodeFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_style()


class VisitForm(_Styled, forms.Form):
    visited_on = _date(_("Date of the family visit"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_style()


class EpisodeFilterForm(_Styled, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of detention"), choices=[("", _("All kinds")), *DetentionKind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            ("", _("Held or released")),
            (OPEN, _("Held now")),
            (LIMITS, _("Limit near or breached")),
            (ENDED, _("Ended")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_style()


def initial_of(episode: Any) -> dict[str, Any]:
    """The edit form's values from an episode."""
    aftercare = episode.aftercare_received
    return {
        "version": episode.version,
        "kind": episode.kind,
        "place_name": episode.place_name,
        "place_kind": episode.place_kind,
        "started_on": episode.started_on,
        "started_time": episode.started_time,
        "ended_on": episode.ended_on,
        "ended_time": episode.ended_time,
        "separated_from_adults": YES if episode.separated_from_adults else NO,
        "died_on": episode.died_on,
        "aftercare_received": "" if aftercare is None else (YES if aftercare else NO),
        "aftercare_detail": episode.aftercare_detail,
    }
