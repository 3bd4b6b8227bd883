"""CappedPaginator stops counting at its cap; QuickSelect writes what Django's Select writes."""

import pytest
from django import forms

from shield.core.forms import QuickSelect
from shield.core.pagination import CappedPaginator


def test_a_capped_paginator_over_a_list_counts_to_the_cap():
    exact = CappedPaginator(list(range(7)), 3, cap=10)
    assert (exact.count, exact.count_exact, exact.num_pages) == (7, True, 3)
    capped = CappedPaginator(list(range(50)), 3, cap=10, count_in_order=False)
    assert (capped.count, capped.count_exact, capped.num_pages) == (10, False, 4)
    assert list(capped.page(4).object_list) == [9]


def test_quick_select_marks_the_choice_and_escapes_labels():
    class Pick(forms.Form):
        kind = forms.ChoiceField(
            choices=[("", "Any"), ("a", "Alpha <b>"), ("b", "Bêta & co")],
            required=False,
            widget=QuickSelect(attrs={"class": "form-select"}),
        )

    html = str(Pick({"kind": "b"})["kind"])
    assert html.startswith('<select name="kind" class="form-select" id="id_kind">')
    assert '<option value="">Any</option>' in html
    assert '<option value="a">Alpha &lt;b&gt;</option>' in html
    assert '<option value="b" selected>Bêta &amp; co</option>' in html
    assert html.endswith("</select>")


@pytest.mark.django_db
def test_a_short_model_choice_field_reads_its_choices_in_one_plain_query(django_assert_num_queries):
    from shield.core.forms import ShortModelChoiceField
    from shield.geo.models import Province

    class Pick(forms.Form):
        province = ShortModelChoiceField(
            queryset=Province.objects.order_by("code"), to_field_name="code", required=False
        )

    form = Pick({"province": "01"})
    assert form.is_valid()
    with django_assert_num_queries(1) as captured:
        html = str(form["province"])
    assert "DECLARE" not in captured.captured_queries[0]["sql"]
    assert html.count("<option") == Province.objects.count() + 1
    assert '<option value="01" selected>' in html
