"""The form of support given at reception: the referrals app's delivery form, plus where to go
back to (`next`, checked against open redirects by the view)."""

from typing import Any

from django import forms

from shield.referrals.support.forms import DeliveryForm

# What is given at once at a border gate, most often: travel and meals to return home.
DEFAULT_TYPE = "travel_home"


class ReceptionSupportForm(DeliveryForm):
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_type"].initial = DEFAULT_TYPE
