"""Normalising records for linkage: names in any order and form, dates, identity numbers, provinces."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shield.linkage.engine.normalise import (
    ID_CONTRADICTS,
    ID_OK,
    Record,
    features,
    name_features,
    parse_birth_date,
    parse_sex,
    tone_key,
)
from shield.linkage.engine.provinces import resolve_province
from shield.people.names import fold_name

HOA_FORMS = [
    "Nguyễn Thị Hoa",
    "NGUYỄN THỊ HOA",
    "nguyen thi hoa",
    "HOA THI NGUYEN",
    "NGUYEN<<THI<HOA",
    "Nguyen, Thi Hoa",
    "Hoa Thi Nguyen",
    "Nguyễn Hoa",  # Thị dropped
    "Nguyễn Thị Hoa".encode().decode("cp1252"),  # mojibake
    unicodedata.normalize("NFD", "Nguyễn Thị Hoa"),
    "  Nguyễn   Thị  Hoa ",
]


@pytest.mark.parametrize("written", HOA_FORMS)
def test_every_form_of_a_name_gives_the_same_family_and_given_name(written):
    name = name_features(written)
    assert (name.family, name.given_folded, name.tokens) == ("nguyen", "hoa", "hoa nguyen")


def test_thi_and_van_are_not_middle_names_worth_comparing():
    assert name_features("Nguyễn Thị Hoa").middle is None
    assert name_features("Nguyễn Văn Nam").middle is None
    assert name_features("Nguyễn Thị Thu Hoa").middle == "thu"


def test_hoang_huynh_and_vu_vo_are_one_family_name():
    assert name_features("Huỳnh Văn Nam").family == name_features("Hoàng Nam").family
    assert name_features("Võ Thị Lan").family == name_features("VU THI LAN").family


def test_tone_placement_old_and_new_compare_equal_but_tones_still_count():
    assert tone_key("Hoà") == tone_key("Hòa") == tone_key("HÒA")
    assert tone_key("Thuý") == tone_key("Thúy")
    assert tone_key("Hòa") != tone_key("Hoa") != tone_key("Hóa")


@given(st.text(max_size=30))
def test_folding_is_idempotent(text):
    assert fold_name(fold_name(text)) == fold_name(text)


FAMILIES = st.sampled_from(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"])
MIDDLES = st.sampled_from(["Thị", "Văn", "Thị Thu", "Văn Đức", ""])
GIVENS = st.sampled_from(["Hoa", "Lan", "Nam", "Hùng", "Dũng", "Hương", "Thảo", "Minh"])


@given(FAMILIES, MIDDLES, GIVENS)
def test_name_order_does_not_change_the_parse(family, middle, given_name):
    vietnamese = " ".join(p for p in (family, middle, given_name) if p)
    passport = " ".join(p for p in (given_name, middle, family) if p)
    mrz = fold_name(family).upper() + "<<" + "<".join(fold_name(f"{middle} {given_name}").upper().split())
    expected = name_features(vietnamese)
    for form in (passport.upper(), fold_name(passport), mrz):
        parsed = name_features(form)
        assert (parsed.family, parsed.given_folded, parsed.tokens) == (
            expected.family,
            expected.given_folded,
            expected.tokens,
        ), form


@pytest.mark.parametrize(
    ("text", "precision", "iso"),
    [
        ("1990-02-03", "day", "1990-02-03"),
        ("1990-02", "month", None),
        ("1990", "year", None),
        ("03/02/1990", "day", "1990-02-03"),
        ("", None, None),
        ("unknown", None, None),
        ("1990-02-30", "month", None),
    ],
)
def test_birth_dates_known_to_the_day_month_or_year(text, precision, iso):
    birth = parse_birth_date(text)
    assert (birth.precision, birth.iso) == (precision, iso)


def test_sex_words():
    assert [parse_sex(s) for s in ("M", "f", "Nữ", "nam", "", "?")] == ["M", "F", "F", "M", None, None]


@pytest.mark.parametrize(
    ("written", "current", "former"),
    [
        ("Hà Giang", "tuyen_quang", "ha giang"),
        ("Tỉnh Yên Bái", "lao_cai", "yen bai"),
        ("TP. HCM", "ho_chi_minh", None),
        ("thanh pho ho chi minh", "ho_chi_minh", "ho chi minh"),
        ("Hanoi", "ha_noi", "ha noi"),
        ("Thành phố Huế", "hue", None),
        # An address, smallest place first: the last part that names a province.
        ("Q. Hoàn Kiếm, Hà Nội", "ha_noi", "ha noi"),
        ("Xã Tả Van, Lào Cai, Việt Nam", "lao_cai", "lao cai"),
        ("Ha Giang, Vietnam", "tuyen_quang", "ha giang"),
        ("vic", "vic", None),  # not a Vietnamese province: its key still compares
        ("Sydney, NSW", "sydney nsw", None),
        ("", None, None),
    ],
)
def test_provinces_in_many_forms_resolve_to_todays_34(written, current, former):
    resolved = resolve_province(written)
    assert (resolved.current, resolved.former) == (current, former)


def test_cccd_that_fits_sex_and_birth_year_is_ok():
    row = features(Record("1", "Nguyễn Thị Hoa", "F", "1990-02-03", "001 190 012345", "Hà Nội"))
    assert (row["id_number"], row["id_kind"], row["id_status"]) == ("001190012345", "cccd", ID_OK)


@pytest.mark.parametrize(
    ("sex", "birth_date"),
    [("M", "1990-02-03"), ("F", "1995-02-03"), ("F", "1993")],
)
def test_cccd_contradicting_sex_or_birth_year_is_flagged(sex, birth_date):
    row = features(Record("1", "Nguyễn Thị Hoa", sex, birth_date, "001190012345", "Hà Nội"))
    assert row["id_status"] == ID_CONTRADICTS


def test_a_year_alone_may_be_an_estimate_so_a_cccd_gets_slack():
    row = features(Record("1", "Nguyễn Thị Hoa", "F", "1991", "001190012345", ""))
    assert row["id_status"] == ID_OK


def test_cmnd_and_foreign_numbers_say_nothing_of_their_holder():
    cmnd = features(Record("1", "Nguyễn Thị Hoa", "M", "1990", "123456789", ""))
    other = features(Record("2", "x", "", "", "P-1234567", ""))
    short = features(Record("3", "x", "", "", "12", ""))
    assert (cmnd["id_kind"], cmnd["id_status"]) == ("cmnd", ID_OK)
    assert (other["id_kind"], other["id_number"]) == ("other", "P1234567")
    assert short["id_number"] is None


def test_a_record_without_a_birth_date_takes_the_year_its_cccd_carries():
    row = features(Record("1", "Phạm Văn Hòa", "M", "", "015089214481", "Yên Bái"))
    assert (row["birth_year"], row["birth_month"], row["birth_precision"]) == (1989, None, "year")
    assert row["id_status"] == ID_OK


def test_a_written_birth_date_wins_over_the_cccd_and_other_numbers_give_no_year():
    written = features(Record("1", "Phạm Văn Hòa", "M", "1992-04-01", "015089214481", ""))
    assert (written["birth_year"], written["id_status"]) == (1992, ID_CONTRADICTS)
    cmnd = features(Record("2", "Phạm Văn Hòa", "M", "", "133505339", ""))
    unknown_province = features(Record("3", "Phạm Văn Hòa", "M", "", "999089214481", ""))
    assert cmnd["birth_year"] is None
    assert unknown_province["birth_year"] is None


def test_the_eth_typed_for_d_stroke_and_zero_width_spaces_change_nothing():
    assert name_features("Ðỗ Văn Hùng") == name_features("Đỗ Văn Hùng")
    assert name_features("ðỗ văn hùng") == name_features("Đỗ Văn Hùng")
    assert name_features("Nguyễn Thị\u200b Hoa\ufeff") == name_features("Nguyễn Thị Hoa")
    assert resolve_province("Ðà Nẵng").current == "da_nang"


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("CCCD: 001190012345", "001190012345"),
        ("Số CCCD: 001 190 012345", "001190012345"),
        ("CMND 012345678", "012345678"),
        ("Hộ chiếu: C1234567", "C1234567"),
        ("passport no. B7654321", "B7654321"),
        # A passport number's own letters stay.
        ("PP1234567", "PP1234567"),
        ("C1234567", "C1234567"),
    ],
)
def test_the_documents_name_before_its_number_is_not_part_of_it(written, number):
    assert features(Record("1", id_number=written))["id_number"] == number
