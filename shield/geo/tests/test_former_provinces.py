"""The 63 provinces before the 1 July 2025 reform, loaded by migration 0003."""

import pytest

from shield.geo.models import FormerProvince, Province

pytestmark = pytest.mark.django_db

UNCHANGED = [
    "Hà Nội",
    "Thừa Thiên Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
]


def test_migrations_load_63_former_provinces_with_distinct_two_digit_codes():
    codes = list(FormerProvince.objects.values_list("code", flat=True))
    assert len(codes) == 63
    assert len(set(codes)) == 63
    assert all(len(code) == 2 and code.isdigit() for code in codes)


def test_every_todays_province_absorbed_at_least_one_former_province():
    assert not Province.objects.filter(former_provinces__isnull=True).exists()


@pytest.mark.parametrize(
    ("former", "today"),
    [
        ("Hà Giang", "tuyen_quang"),
        ("Yên Bái", "lao_cai"),
        ("Bình Dương", "ho_chi_minh"),
        ("Bà Rịa - Vũng Tàu", "ho_chi_minh"),
        ("Kiên Giang", "an_giang"),
        ("Thừa Thiên Huế", "hue"),
        ("Hòa Bình", "phu_tho"),
        ("Kon Tum", "quang_ngai"),
        ("Bình Phước", "dong_nai"),
        ("Long An", "tay_ninh"),
        ("Quảng Bình", "quang_tri"),
        ("Bạc Liêu", "ca_mau"),
    ],
)
def test_former_province_maps_to_the_province_that_absorbed_it(former, today):
    assert FormerProvince.objects.get(name=former).successor.codename == today


def test_former_codes_are_the_statistics_office_codes():
    assert FormerProvince.objects.get(code="02").name == "Hà Giang"
    assert FormerProvince.objects.get(code="46").name == "Thừa Thiên Huế"
    assert FormerProvince.objects.get(code="77").name == "Bà Rịa - Vũng Tàu"
    assert FormerProvince.objects.get(code="96").name == "Cà Mau"


@pytest.mark.parametrize("name", UNCHANGED)
def test_unchanged_province_maps_to_itself_alone(name):
    former = FormerProvince.objects.select_related("successor").get(name=name)
    assert former.successor.code == former.code
    assert list(former.successor.former_provinces.all()) == [former]


def test_exactly_eleven_provinces_were_not_merged():
    alone = [p.codename for p in Province.objects.all() if p.former_provinces.count() == 1]
    assert len(alone) == 11


def test_three_way_mergers_have_three_former_provinces():
    three_way = sorted(p.codename for p in Province.objects.all() if p.former_provinces.count() == 3)
    assert three_way == ["can_tho", "ho_chi_minh", "lam_dong", "ninh_binh", "phu_tho", "vinh_long"]
