"""Parsing, folding and variants of Vietnamese names (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shield.geo.names import fold
from shield.people.names import (
    ParsedName,
    fold_name,
    initials,
    is_known_surname,
    name_variants,
    parse_name,
    repair,
    search_key,
)

HOA = ParsedName("Nguyễn", "Thị", "Hoa")
# UTF-8 read as Windows-1252, as a mis-configured export does (`Nguyá»…n ...`).
MOJIBAKE = "Nguyễn Thị Hoa".encode().decode("cp1252")
HOA_PLAIN = ParsedName("Nguyen", "Thi", "Hoa")


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("Nguyễn Thị Hoa", HOA),
        ("nguyễn thị hoa", HOA),
        ("NGUYỄN THỊ HOA", HOA),
        ("NGUYEN THI HOA", HOA_PLAIN),
        ("  Nguyễn   Thị\tHoa ", HOA),
        ("Hoa Thi Nguyen", HOA_PLAIN),
        ("HOA THI NGUYEN", HOA_PLAIN),
        ("Hoa Thị Nguyễn", HOA),
        ("Thi Hoa Nguyen", HOA_PLAIN),  # given-names field "THI HOA" before the surname
        ("Hoa Nguyen Thi", HOA_PLAIN),  # given name put before "family middle" (issue 3)
        ("NGUYEN<<THI<HOA", HOA_PLAIN),
        ("P<VNMNGUYEN<<THI<HOA<<<<<<<<<<<", HOA_PLAIN),
        ("Nguyen, Thi Hoa", HOA_PLAIN),
        ("NGUYEN,THI HOA", HOA_PLAIN),
        (MOJIBAKE, HOA),
        ("Nguye\u0302\u0303n Thi\u0323 Hoa", HOA),  # decomposed marks (macOS, some keyboards)
        ("Nguyễn Hoa", ParsedName("Nguyễn", "", "Hoa")),
        ("Hoa Nguyen", ParsedName("Nguyen", "", "Hoa")),
        ("Trần Văn Nam", ParsedName("Trần", "Văn", "Nam")),
        ("Nguyễn Thị Thu Hà", ParsedName("Nguyễn", "Thị Thu", "Hà")),
        ("Huỳnh Ngọc Mai", ParsedName("Huỳnh", "Ngọc", "Mai")),
        ("Sùng A Páo", ParsedName("Sùng", "A", "Páo")),
        ("PAO A SUNG", ParsedName("Sung", "A", "Pao")),
        ("Giàng Thị Mai", ParsedName("Giàng", "Thị", "Mai")),
        ("Lò Văn Ơn", ParsedName("Lò", "Văn", "Ơn")),
        ("Đặng Thị Hồng", ParsedName("Đặng", "Thị", "Hồng")),
        # Both ends are family names and nothing is accented: the more common one wins.
        ("MAI VAN NGUYEN", ParsedName("Nguyen", "Van", "Mai")),
        # ... but written with diacritics, the order is Vietnamese.
        ("Mai Văn Hoàng", ParsedName("Mai", "Văn", "Hoàng")),
        # Unknown family name: Vietnamese order.
        ("Khuất Duy Tiến", ParsedName("Khuất", "Duy", "Tiến")),
        ("Hoa", ParsedName("", "", "Hoa")),
        ("", ParsedName("", "", "")),
    ],
)
def test_parse_name_reads_the_forms_names_arrive_in(written, parsed):
    assert parse_name(written) == parsed


def test_parsed_name_gives_the_vietnamese_order():
    assert parse_name("HOA THI NGUYEN").full == "Nguyen Thi Hoa"
    assert parse_name("Hoa").full == "Hoa"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Thị Hoa", "nguyen thi hoa"),
        ("NGUYEN<<THI<HOA", "nguyen thi hoa"),
        ("Nguyen, Thi  Hoa", "nguyen thi hoa"),
        ("Đặng Hoà", "dang hoa"),
        ("Đặng Hòa", "dang hoa"),
        ("H'Hen Niê", "h hen nie"),
        ("", ""),
    ],
)
def test_fold_name_drops_marks_case_punctuation_and_mrz_fillers(text, folded):
    assert fold_name(text) == folded


def test_hoang_huynh_and_vu_vo_are_variants_of_one_name():
    assert name_variants("Hoàng") == name_variants("HUỲNH") == {"hoang", "huynh"}
    assert name_variants("Vũ") == name_variants("vo") == {"vu", "vo"}
    assert name_variants("Hoa") == {"hoa"}
    assert search_key("Huỳnh") == search_key("Hoàng") == "hoang"
    assert search_key("Võ") == search_key("Vũ") == "vu"
    assert search_key("Hòa") == "hoa"


def test_surname_list_knows_kinh_and_minority_family_names():
    for name in ["Nguyễn", "TRAN", "Huỳnh", "Võ", "Đỗ", "Sùng", "Giàng", "Vàng", "Thào", "Lò", "Quàng"]:
        assert is_known_surname(name), name
    for name in ["Văn", "Thị", "Hoa", "Nam"]:
        assert not is_known_surname(name), name


def test_repair_leaves_good_text_alone():
    for text in ["Nguyễn Thị Hoà", "Âu Cơ", "Hồ Chí Minh", "plain ascii", "Ðà Lạt"]:
        assert repair(text) == text


def test_initials_mask_a_name():
    assert initials("Nguyễn Thị Hoa") == "N. T. H."
    assert initials("đặng hoa") == "Đ. H."


# --- properties -------------------------------------------------------------------------------

FAMILY = st.sampled_from(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Sùng", "Lò"])
MIDDLE = st.lists(st.sampled_from(["Văn", "Thị", "Minh", "Ngọc", "Thu", "Đức", "Kim", "A"]), max_size=2)
# Given names that are not also family names (`Mai`, `Hà` are both, and make the order ambiguous).
GIVEN = st.sampled_from(["Hoa", "Nam", "Hương", "Tuấn", "Páo", "Ơn", "Thảo", "Dũng", "Yến", "Khoa", "Nhung"])


@given(st.text())
def test_fold_name_is_idempotent(text):
    assert fold_name(fold_name(text)) == fold_name(text)


@given(st.text())
def test_fold_name_agrees_with_fold_on_words(text):
    assert fold_name(text).split() == fold_name(fold(text)).split()


@given(FAMILY, MIDDLE, GIVEN)
def test_every_rendering_of_a_name_parses_to_the_same_parts(family, middle, given_name):
    vietnamese = " ".join([family, *middle, given_name])
    expected = ParsedName(family, " ".join(middle), given_name).folded()
    renderings = [
        vietnamese,
        vietnamese.upper(),
        fold(vietnamese).upper(),  # as a passport prints it
        " ".join([given_name, *middle, family]),  # Western order
        " ".join([given_name, *middle, family]).upper(),
        fold(" ".join([given_name, *middle, family])).upper(),
        fold(f"{family}<<{'<'.join([*middle, given_name])}").upper(),  # MRZ
        f"{family}, {' '.join([*middle, given_name])}",
    ]
    for rendering in renderings:
        assert parse_name(rendering).folded() == expected, rendering


@given(FAMILY, MIDDLE, GIVEN)
def test_parsing_keeps_every_word(family, middle, given_name):
    written = " ".join([given_name, *middle, family])
    assert sorted(fold_name(parse_name(written).full).split()) == sorted(fold_name(written).split())
