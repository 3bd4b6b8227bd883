from django import forms

from shield.core.errors import StaleVersion, ValidationFailed
from shield.core.forms import VersionedForm, add_application_error


class _NameForm(VersionedForm):
    name = forms.CharField()


def test_field_errors_land_on_their_fields_and_unknown_ones_on_top():
    form = _NameForm({"name": "x", "version": 1})
    assert form.is_valid()
    add_application_error(form, ValidationFailed(field_errors={"name": ["Too short."], "other": ["Odd."]}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Odd."]


def test_a_stale_version_is_shown_on_top_and_the_input_is_kept():
    form = _NameForm({"name": "typed by the user", "version": 1})
    assert form.is_valid()
    add_application_error(form, StaleVersion())
    assert "Someone else changed this record" in form.non_field_errors()[0]
    assert form["name"].value() == "typed by the user"


def test_missing_version_is_a_clear_field_error():
    form = _NameForm({"name": "x"})
    assert not form.is_valid()
    assert "reload the page" in form.errors["version"][0]
