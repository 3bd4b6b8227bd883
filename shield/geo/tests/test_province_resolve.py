"""Resolving a province however people write it to today's Province."""

import pytest

from shield.geo.models import BorderGate, Commune, FormerProvince, Province
from shield.geo.names import fold
from shield.geo.selectors import province_code_resolve, province_lookup_clear, province_resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "codename"),
    [
        # Today's names, with and without prefixes, marks and case.
        ("Thành phố Hà Nội", "ha_noi"),
        ("Hà Nội", "ha_noi"),
        ("ha noi", "ha_noi"),
        ("HÀ NỘI", "ha_noi"),
        ("Hanoi", "ha_noi"),
        ("TP. Hà Nội", "ha_noi"),
        ("Tỉnh Hà Tĩnh", "ha_tinh"),
        ("Ha Tinh", "ha_tinh"),
        ("tinh thanh hoa", "thanh_hoa"),
        ("Thanh Hoá", "thanh_hoa"),
        ("Khánh Hoà", "khanh_hoa"),
        ("DAK LAK", "dak_lak"),
        ("Đắc Lắc", "dak_lak"),
        ("Da Nang", "da_nang"),
        ("Danang", "da_nang"),
        ("TP Cần Thơ", "can_tho"),
        # Hồ Chí Minh City in its many forms.
        ("Thành phố Hồ Chí Minh", "ho_chi_minh"),
        ("HCM", "ho_chi_minh"),
        ("TP HCM", "ho_chi_minh"),
        ("TP.HCM", "ho_chi_minh"),
        ("TPHCM", "ho_chi_minh"),
        ("tp. hồ chí minh", "ho_chi_minh"),
        ("Sài Gòn", "ho_chi_minh"),
        ("Saigon", "ho_chi_minh"),
        ("Ho Chi Minh City", "ho_chi_minh"),
        # Huế, old and new.
        ("Huế", "hue"),
        ("Hue", "hue"),
        ("Thành phố Huế", "hue"),
        ("Thừa Thiên Huế", "hue"),
        ("Thua Thien Hue", "hue"),
        ("Thừa Thiên - Huế", "hue"),
        # Former provinces resolve to the province that absorbed them.
        ("Ba Ria Vung Tau", "ho_chi_minh"),
        ("Bà Rịa\u2013Vũng Tàu", "ho_chi_minh"),
        ("BR-VT", "ho_chi_minh"),
        ("Tỉnh Bình Dương", "ho_chi_minh"),
        ("Hà Giang", "tuyen_quang"),
        ("tinh ha giang", "tuyen_quang"),
        ("YÊN BÁI", "lao_cai"),
        ("Hoà Bình", "phu_tho"),
        ("Hòa Bình", "phu_tho"),
        ("Kien Giang", "an_giang"),
        ("Kon Tum", "quang_ngai"),
        ("Kontum", "quang_ngai"),
        ("Đắk Nông", "lam_dong"),
        ("Hà Tây", "ha_noi"),
    ],
)
def test_province_resolve_finds_todays_province(text, codename):
    province = province_resolve(text)
    assert province is not None, text
    assert province.codename == codename


@pytest.mark.parametrize(
    "text", ["", "   ", "Tỉnh", "Thành phố", "Atlantis", "Bangkok", "Hà", "Quảng", "Vientiane"]
)
def test_province_resolve_answers_none_for_unknown_text(text):
    assert province_resolve(text) is None


def test_every_todays_and_former_name_resolves_accented_folded_and_upper_cased():
    names = [(p.name, p.codename) for p in Province.objects.all()]
    names += [(f.name, f.successor.codename) for f in FormerProvince.objects.select_related("successor")]
    assert len(names) == 34 + 63
    for name, codename in names:
        for written in (name, fold(name), name.upper()):
            province = province_resolve(written)
            assert province is not None, written
            assert province.codename == codename, written


def test_province_resolve_reads_the_lookup_table_once_then_one_query_per_call(django_assert_num_queries):
    province_resolve("Hà Nội")
    with django_assert_num_queries(1):
        assert province_resolve("Sài Gòn").codename == "ho_chi_minh"
    with django_assert_num_queries(0):
        assert province_code_resolve("Hà Giang") == "08"


def test_province_lookup_clear_makes_the_table_follow_the_database():
    assert province_resolve("Bình Dương").codename == "ho_chi_minh"
    FormerProvince.objects.filter(name="Bình Dương").update(name="Bình Dương cũ")
    # Still cached: the table is built once per process.
    assert province_resolve("Bình Dương").codename == "ho_chi_minh"
    province_lookup_clear()
    assert province_resolve("Bình Dương") is None


def test_province_resolve_on_an_empty_geography_answers_none_without_caching_the_empty_table():
    BorderGate.objects.all().delete()
    FormerProvince.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()
    assert province_resolve("Hà Nội") is None

    Province.objects.create(code="01", name="Thành phố Hà Nội", codename="ha_noi", division_type="x")
    # No clearing needed: an empty table is never kept.
    assert province_resolve("Hà Nội").codename == "ha_noi"
