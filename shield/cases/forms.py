"""Forms of the case pages: they check what was typed and hand it to `shield.cases.services`.

Domain rules (the stage machine, who may approve, consent before a transfer) stay in the services;
a service's refusal is put back on these forms field by field with
`shield.core.forms.add_application_error`. Dates are typed day first (dd/mm/yyyy).
"""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind
from shield.cases import value_sets
from shield.cases.models import (
    CarePlanGoal,
    CaseType,
    ConsentGivenBy,
    ConsentScope,
    IdentificationStatus,
    NeedDomain,
    NeedLevel,
    NoteKind,
    PlaceKind,
    RiskLevel,
    Stage,
)
from shield.cases.selectors import (
    APPROVAL_CLOSURE,
    APPROVAL_PLAN,
    QUEUE_INCOMING,
    QUEUE_MINE,
    QUEUE_OVERDUE,
    CaseFilters,
)
from shield.cases.services import NeedInput
from shield.cases.services.plans import DUE_IN_THE_PAST
from shield.core.forms import QuickSelect, ShortModelChoiceField, VersionedForm
from shield.geo import selectors as geo
from shield.geo.models import Commune, Province

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]


def _date_field(label: "StrOrPromise", *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
        ),
        **kwargs,
    )


def _datetime_field(label: "StrOrPromise", *, required: bool = True, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M",
            attrs={"placeholder": _("dd/mm/yyyy hh:mm"), "autocomplete": "off"},
        ),
        **kwargs,
    )


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _with_blank(choices: Any, blank: "StrOrPromise") -> list[tuple[str, Any]]:
    return [("", blank), *choices]


class WorkerChoiceField(forms.ModelChoiceField):
    """Users shown by their full name and username, as colleagues know them."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})" if obj.get_full_name() else obj.username


class BootstrapMixin:
    """Bootstrap classes on every widget, and `is-invalid` on the fields with errors."""

    fields: dict[str, forms.Field]
    errors: Any

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget,
                forms.HiddenInput | forms.RadioSelect | forms.CheckboxInput | forms.CheckboxSelectMultiple,
            ):
                if isinstance(widget, forms.CheckboxInput):
                    widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class Form(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()


class CaseVersionedForm(BootstrapMixin, VersionedForm):
    """A form changing a versioned record (the case, its care plan): it carries the version seen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()


# --- List and opening ----------------------------------------------------------------------------


class CaseFilterForm(Form):
    q = forms.CharField(
        label=_("Name or case reference"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. nguyen thi hoa, hoa 1995, SPC-2026-000012")}
        ),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=_with_blank(Stage.choices, _("Any stage")),
        widget=QuickSelect,
    )
    case_type = forms.ChoiceField(
        label=_("Type of case"),
        required=False,
        choices=_with_blank(CaseType.choices, _("Any type")),
        widget=QuickSelect,
    )
    agency: "forms.ModelChoiceField[Agency]" = ShortModelChoiceField(
        label=_("Owning agency"), queryset=Agency.objects.none(), required=False, empty_label=_("Any agency")
    )
    province: "forms.ModelChoiceField[Province]" = ShortModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any province"),
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("With overdue actions"), required=False)
    queue = forms.ChoiceField(
        label=_("Work queue"),
        required=False,
        choices=[
            ("", _("No queue")),
            (QUEUE_MINE, _("My open cases")),
            (QUEUE_OVERDUE, _("My overdue actions")),
            (QUEUE_INCOMING, _("Incoming transfers")),
        ],
        widget=QuickSelect,
    )

    FILTER_NAMES = ("q", "stage", "case_type", "agency", "province", "mine", "overdue", "queue")

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = geo.province_list()

    def filters(self) -> CaseFilters:
        """The selector's filters; call after is_valid()."""
        data = self.cleaned_data
        agency, province = data.get("agency"), data.get("province")
        return CaseFilters(
            stages=(data["stage"],) if data.get("stage") else (),
            case_type=data.get("case_type") or "",
            owner_agency_id=agency.pk if agency else None,
            province_id=province.pk if province else None,
            assigned_to_me=bool(data.get("mine")),
            has_overdue_actions=bool(data.get("overdue")),
            search=data.get("q") or "",
            queue=data.get("queue") or "",
        )

    def has_filters(self) -> bool:
        return bool(self.is_bound and any(self.data.get(name) for name in self.FILTER_NAMES))


class ApprovalFilterForm(Form):
    """The approvals queue's filters: by kind, and a case reference (never a name: the page's
    address keeps what was typed)."""

    q = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. SPC-2026-000012")}),
    )
    kind = forms.ChoiceField(
        label=_("Waiting for"),
        required=False,
        choices=[
            ("", _("Plans and closures")),
            (APPROVAL_PLAN, _("Care plans")),
            (APPROVAL_CLOSURE, _("Closures")),
        ],
        widget=QuickSelect,
    )

    def has_filters(self) -> bool:
        return bool(self.is_bound and (self.data.get("q") or self.data.get("kind")))


class PersonPickForm(Form):
    q = forms.CharField(
        label=_("Find the person"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or document number")}),
    )


class CaseOpenForm(Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    case_type = forms.ChoiceField(label=_("Type of case"), choices=_with_blank(CaseType.choices, "—"))
    owner_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label=_("Owning agency"), queryset=Agency.objects.none(), empty_label=None
    )
    reported_at = _datetime_field(
        _("Reported at"),
        required=False,
        help_text=_("When the report came in (the verification deadline runs from it); now if left empty."),
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    assigned_worker = WorkerChoiceField(
        label=_("Assigned worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not assigned yet"),
    )

    def __init__(self, *args: Any, agencies: list[Agency], workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["owner_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name_vi")
        worker = self.fields["assigned_worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.queryset = workers


# --- Inline edits and the stage ------------------------------------------------------------------


class RiskForm(CaseVersionedForm):
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)


class WorkerForm(CaseVersionedForm):
    assigned_worker = WorkerChoiceField(
        label=_("Assigned worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not assigned"),
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["assigned_worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.queryset = workers


class TransitionForm(CaseVersionedForm):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReopenForm(CaseVersionedForm):
    reason = forms.CharField(label=_("Why is the case reopened?"), widget=_text_area(2), max_length=4000)


# --- Identification and trafficking details -----------------------------------------------------


class IdentificationForm(Form):
    status = forms.ChoiceField(label=_("Decision"), choices=_with_blank(IdentificationStatus.choices, "—"))
    body_name = forms.CharField(label=_("Deciding body"), max_length=200)
    body_type = forms.ChoiceField(
        label=_("Type of deciding body"), choices=_with_blank(AgencyKind.choices, "—")
    )
    decided_on = _date_field(_("Decided on"))
    basis = forms.CharField(label=_("Basis of the decision"), widget=_text_area(3), max_length=10000)
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=_text_area(2),
        help_text=_("One per line: the decision's number, reports, statements relied on."),
        max_length=4000,
    )

    def document_list(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("documents") or "").splitlines() if line.strip()
        ]


def _value_set_field(label: "StrOrPromise", name: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=value_sets.choices(name),
        widget=forms.CheckboxSelectMultiple,
    )


class TraffickingDetailsForm(Form):
    # The first save creates the record: version 0 then.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    forms_of_exploitation = _value_set_field(_("Forms of exploitation"), value_sets.FORMS_OF_EXPLOITATION)
    methods_of_control = _value_set_field(_("Methods of control"), value_sets.METHODS_OF_CONTROL)
    recruitment_methods = _value_set_field(_("Methods of recruitment"), value_sets.RECRUITMENT_METHODS)
    recruitment_websites_and_apps = _value_set_field(
        _("Websites and apps used in recruitment"), value_sets.WEBSITES_AND_APPS
    )
    exploitation_websites_and_apps = _value_set_field(
        _("Websites and apps used in exploitation"), value_sets.WEBSITES_AND_APPS
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"),
        required=False,
        choices=_with_blank(value_sets.choices(value_sets.RELATIONSHIP_TO_TRAFFICKER), _("Not known")),
    )
    duration_days = forms.IntegerField(label=_("Duration of trafficking (days)"), required=False, min_value=0)

    MULTI = (
        "forms_of_exploitation",
        "methods_of_control",
        "recruitment_methods",
        "recruitment_websites_and_apps",
        "exploitation_websites_and_apps",
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) or [] for name in self.MULTI}
        values["relationship_to_trafficker"] = data.get("relationship_to_trafficker") or ""
        values["duration_days"] = data.get("duration_days")
        return values


class PlaceForm(Form):
    kind = forms.ChoiceField(label=_("Kind of place"), choices=_with_blank(PlaceKind.choices, "—"))
    country = forms.ChoiceField(label=_("Country"), choices=[])
    province: "forms.ModelChoiceField[Province]" = forms.ModelChoiceField(
        label=_("Province (in Viet Nam)"),
        queryset=Province.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not known"),
    )
    commune: "forms.ModelChoiceField[Commune]" = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not known"),
    )
    date_from = _date_field(_("From"), required=False)
    date_to = _date_field(_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", "—"), *((code, name) for code, name in countries)]
        country.initial = "VN"
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = geo.province_list()
        # With htmx, choosing a province fills the commune select with its communes.
        province.widget.attrs.update(
            {
                "hx-get": reverse_lazy("cases:commune_options"),
                "hx-target": "#id_commune",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )
        # Only the chosen province's communes are offered (and accepted).
        chosen = province.queryset.filter(
            code=self.data.get("province") or self.initial.get("province") or ""
        ).first()
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = geo.commune_list(province=chosen) if chosen else Commune.objects.none()

    @property
    def communes(self) -> QuerySet[Commune]:
        field = self.fields["commune"]
        assert isinstance(field, forms.ModelChoiceField)
        return field.queryset  # type: ignore[return-value]


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=_text_area(2), max_length=4000)


# --- Assessment and care plan --------------------------------------------------------------------


class AssessmentForm(Form):
    assessed_on = _date_field(_("Assessed on"), required=False, help_text=_("Today if left empty."))
    summary = forms.CharField(label=_("Summary"), required=False, widget=_text_area(3), max_length=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain, label in NeedDomain.choices:
            self.fields[f"level_{domain}"] = forms.ChoiceField(
                label=label, required=False, choices=_with_blank(NeedLevel.choices, _("Not assessed"))
            )
            self.fields[f"notes_{domain}"] = forms.CharField(
                label=_("Notes on %(domain)s") % {"domain": label},
                required=False,
                max_length=4000,
                widget=forms.TextInput(),
            )
        self._style()

    def domain_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"level_{domain}"], self[f"notes_{domain}"]) for domain in NeedDomain.values]

    def needs(self) -> dict[str, NeedInput]:
        data = self.cleaned_data
        return {
            domain: NeedInput(level=data[f"level_{domain}"], notes=data.get(f"notes_{domain}") or "")
            for domain in NeedDomain.values
            if data.get(f"level_{domain}")
        }


class PlanForm(CaseVersionedForm):
    """Submit or approve a care plan: only the plan's version."""


class GoalForm(CaseVersionedForm):
    prefix = "goal"
    domain = forms.ChoiceField(
        label=_("Domain"),
        required=False,
        choices=_with_blank(NeedDomain.choices, _("General (more than one domain)")),
    )
    description = forms.CharField(label=_("Goal"), widget=_text_area(2), max_length=4000)


class ActionForm(CaseVersionedForm):
    prefix = "action"
    goal: "forms.ModelChoiceField[CarePlanGoal]" = forms.ModelChoiceField(
        label=_("Goal"), queryset=CarePlanGoal.objects.none(), empty_label=None
    )
    description = forms.CharField(label=_("Action"), widget=_text_area(2), max_length=4000)
    due_on = _date_field(_("Due on"))
    responsible_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), required=False, empty_label="—"
    )
    responsible_person = WorkerChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False, empty_label="—"
    )

    def __init__(
        self,
        *args: Any,
        goals: list[CarePlanGoal],
        agencies: QuerySet[Agency],
        workers: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = CarePlanGoal.objects.filter(pk__in=[g.pk for g in goals]).order_by("created_at")
        goal.label_from_instance = lambda obj: obj.description[:80]  # type: ignore[method-assign]
        agency = self.fields["responsible_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies
        person = self.fields["responsible_person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = workers

    def clean_due_on(self) -> datetime.date:
        # The service refuses it too (and the API through it); here it shows beside the field at once.
        day: datetime.date = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(DUE_IN_THE_PAST)
        return day


class ReturnForm(CaseVersionedForm):
    prefix = "return"
    note = forms.CharField(label=_("What should change?"), widget=_text_area(2), max_length=4000)


class ActionDoneForm(Form):
    done_on = _date_field(_("Done on"), required=False)


# --- Notes, consent, transfer, closure -----------------------------------------------------------


class NoteForm(Form):
    kind = forms.ChoiceField(label=_("Kind of note"), choices=NoteKind.choices, initial=NoteKind.CONTACT)
    occurred_at = _datetime_field(_("Took place at"), required=False, help_text=_("Now if left empty."))
    body = forms.CharField(label=_("Note"), widget=_text_area(4), max_length=20000)
    corrects = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ConsentForm(Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=_with_blank(ConsentScope.choices, "—"))
    shared_with_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label=_("Agency it may be shared with"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Only for consent to share information with a named agency."),
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGivenBy.choices)
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=200)
    given_on = _date_field(_("Given on"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["shared_with_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies


class WithdrawForm(Form):
    reason = forms.CharField(label=_("Why is the consent withdrawn?"), widget=_text_area(2), max_length=4000)
    withdrawn_on = _date_field(_("Withdrawn on"), required=False, help_text=_("Today if left empty."))


class TransferForm(Form):
    to_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Agency.objects.none(), empty_label="—"
    )
    reason = forms.CharField(label=_("Why is the case transferred?"), widget=_text_area(2), max_length=4000)
    legal_basis = forms.CharField(
        label=_("Legal basis (when the person has not consented)"),
        required=False,
        widget=_text_area(2),
        max_length=4000,
    )
    override = forms.BooleanField(
        label=_("Override missing consent on this legal basis (supervisors only)"), required=False
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["to_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies


class NoteOnDecisionForm(Form):
    """The optional note of an answer (accepting or declining a transfer, approving a closure)."""

    note = forms.CharField(label=_("Note"), required=False, widget=_text_area(2), max_length=4000)


class RequiredNoteForm(Form):
    note = forms.CharField(label=_("Why not yet?"), widget=_text_area(2), max_length=4000)


class ClosureRequestForm(Form):
    reason = forms.CharField(label=_("Why should the case be closed?"), widget=_text_area(3), max_length=4000)
