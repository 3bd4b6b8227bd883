"""Border gates loaded by migration 0004; other apps' data looks them up by these codes."""

import pytest

from shield.geo.models import BorderGate, Province
from shield.geo.selectors import border_gate_list

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "province", "kind", "country"),
    [
        ("lao-cai", "lao_cai", "international_road", "CN"),
        ("mong-cai", "quang_ninh", "international_road", "CN"),
        ("huu-nghi", "lang_son", "international_road", "CN"),
        ("dong-dang-rail", "lang_son", "rail", "CN"),
        ("thanh-thuy", "tuyen_quang", "international_road", "CN"),
        ("ta-lung", "cao_bang", "international_road", "CN"),
        ("tay-trang", "dien_bien", "international_road", "LA"),
        ("na-meo", "thanh_hoa", "international_road", "LA"),
        ("nam-can", "nghe_an", "international_road", "LA"),
        ("cau-treo", "ha_tinh", "international_road", "LA"),
        ("lao-bao", "quang_tri", "international_road", "LA"),
        ("bo-y", "quang_ngai", "international_road", "LA"),
        ("moc-bai", "tay_ninh", "international_road", "KH"),
        ("xa-mat", "tay_ninh", "international_road", "KH"),
        ("tinh-bien", "an_giang", "international_road", "KH"),
        ("vinh-xuong", "an_giang", "international_road", "KH"),
        ("ha-tien", "an_giang", "international_road", "KH"),
        ("noi-bai", "ha_noi", "airport", ""),
        ("tan-son-nhat", "ho_chi_minh", "airport", ""),
        ("da-nang-airport", "da_nang", "airport", ""),
    ],
)
def test_border_gate_is_in_its_post_2025_province(code, province, kind, country):
    gate = BorderGate.objects.select_related("province").get(code=code)
    assert gate.province.codename == province
    assert gate.kind == kind
    assert gate.neighbour_country == country
    assert gate.is_active


def test_every_border_gate_has_a_known_kind_and_a_name():
    gates = list(BorderGate.objects.all())
    assert len(gates) >= 20
    assert {gate.kind for gate in gates} <= set(BorderGate.Kind.values)
    assert all(gate.name for gate in gates)
    # Land gates name the neighbour; airports and seaports face no single country.
    for gate in gates:
        land = gate.kind not in {BorderGate.Kind.AIRPORT, BorderGate.Kind.SEAPORT}
        assert (gate.neighbour_country in {"CN", "LA", "KH"}) == land, gate.code


def test_border_gate_list_filters_by_province():
    tay_ninh = Province.objects.get(codename="tay_ninh")
    assert {g.code for g in border_gate_list(province=tay_ninh)} == {"moc-bai", "xa-mat"}


def test_border_gate_list_leaves_out_inactive_gates_unless_asked():
    BorderGate.objects.filter(code="xa-mat").update(is_active=False)
    tay_ninh = Province.objects.get(codename="tay_ninh")
    assert {g.code for g in border_gate_list(province=tay_ninh)} == {"moc-bai"}
    assert {g.code for g in border_gate_list(province=tay_ninh, include_inactive=True)} == {
        "moc-bai",
        "xa-mat",
    }
    assert "xa-mat" not in {g.code for g in border_gate_list()}


def test_border_gate_list_needs_one_query_including_provinces(django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [f"{g.name} ({g.province.name})" for g in border_gate_list()]
    assert len(names) == BorderGate.objects.count()
