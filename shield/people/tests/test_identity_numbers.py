"""CCCD, CMND and passport numbers checked against their holder (no database)."""

import pytest

from shield.people.identity_numbers import (
    CccdFacts,
    WarningCode,
    cccd_facts,
    check_cccd,
    check_cmnd,
    check_document,
    check_passport,
    normalize_number,
    province_codes,
    warning_message,
)

# Hà Nội (001), female (1), born 1995 (95), serial 012345.
HOA_CCCD = "001195012345"


def codes(warnings):
    return [w.code for w in warnings]


def test_a_cccd_that_fits_its_holder_has_no_warnings():
    assert check_cccd(HOA_CCCD, sex="female", birth_year=1995) == []
    # Born in the 2000s: digit 4 is 2 (male) or 3 (female).
    assert check_cccd("079308001234", sex="female", birth_year=2008) == []
    assert check_cccd("079208001234", sex="male", birth_year=2008) == []
    # Spaces and dots as people type them.
    assert check_cccd("001 195 012 345", sex="female", birth_year=1995) == []


def test_cccd_facts_read_province_sex_and_year():
    facts = cccd_facts(HOA_CCCD)
    assert facts is not None
    assert (facts.province_code, facts.sex, facts.birth_year) == ("001", "female", 1995)
    assert cccd_facts("096301000001") == CccdFacts(province_code="096", sex="female", birth_year=2001)
    assert cccd_facts("024412000000").birth_year == 2112
    assert cccd_facts("12345") is None


@pytest.mark.parametrize("number", ["00119501234", "0011950123456", "00119501234X", "", "abc"])
def test_a_cccd_of_the_wrong_shape_is_flagged(number):
    assert codes(check_cccd(number, sex="female", birth_year=1995)) == [WarningCode.CCCD_FORMAT]


def test_an_unknown_province_code_is_flagged():
    # 003 was never a province code (Hà Giang is 002, Cao Bằng 004); 099 neither.
    assert codes(check_cccd("003195012345")) == [WarningCode.CCCD_PROVINCE_UNKNOWN]
    assert codes(check_cccd("099195012345")) == [WarningCode.CCCD_PROVINCE_UNKNOWN]
    assert len(province_codes()) == 63
    assert {"001", "002", "079", "096"} <= province_codes()


def test_a_cccd_of_the_other_sex_is_flagged():
    assert codes(check_cccd(HOA_CCCD, sex="male", birth_year=1995)) == [WarningCode.CCCD_SEX_MISMATCH]
    # Unknown or other sex cannot contradict anything.
    assert check_cccd(HOA_CCCD, sex="unknown", birth_year=1995) == []
    assert check_cccd(HOA_CCCD, sex="other", birth_year=1995) == []


def test_a_cccd_of_another_birth_year_is_flagged():
    assert codes(check_cccd(HOA_CCCD, sex="female", birth_year=1996)) == [
        WarningCode.CCCD_BIRTH_YEAR_MISMATCH
    ]
    # The century digit counts: 2095 is not 1995.
    assert codes(check_cccd("001395012345", sex="female", birth_year=1995)) == [
        WarningCode.CCCD_BIRTH_YEAR_MISMATCH
    ]
    # An estimated year is given some slack.
    assert check_cccd(HOA_CCCD, sex="female", birth_year=1997, birth_year_tolerance=2) == []
    assert check_cccd(HOA_CCCD, sex="female", birth_year=None) == []


def test_several_contradictions_are_all_reported():
    assert codes(check_cccd("003095012345", sex="female", birth_year=2001)) == [
        WarningCode.CCCD_PROVINCE_UNKNOWN,
        WarningCode.CCCD_SEX_MISMATCH,
        WarningCode.CCCD_BIRTH_YEAR_MISMATCH,
    ]


def test_cmnd_has_nine_or_twelve_digits():
    assert check_cmnd("012345678") == []
    assert check_cmnd("012345678901") == []
    assert codes(check_cmnd("01234567")) == [WarningCode.CMND_FORMAT]
    assert codes(check_cmnd("01234567A")) == [WarningCode.CMND_FORMAT]


def test_passport_numbers_are_six_to_nine_letters_and_digits():
    assert check_passport("C1234567") == []
    assert check_passport("n 123 4567") == []
    assert codes(check_passport("C12")) == [WarningCode.PASSPORT_FORMAT]
    assert codes(check_passport("C12345678X")) == [WarningCode.PASSPORT_FORMAT]


def test_check_document_picks_the_check_by_kind_and_country():
    assert codes(check_document("cccd", HOA_CCCD, sex="male")) == [WarningCode.CCCD_SEX_MISMATCH]
    assert codes(check_document("cmnd", "123")) == [WarningCode.CMND_FORMAT]
    assert codes(check_document("passport", "x", issuing_country="KH")) == [WarningCode.PASSPORT_FORMAT]
    assert check_document("birth_certificate", "12/2010") == []
    assert check_document("foreign_id", "anything") == []
    # A Vietnamese structure says nothing about another country's card.
    assert check_document("cccd", "123", issuing_country="LA") == []


def test_normalize_number_keeps_letters_and_digits_upper_case():
    assert normalize_number(" c-123.456 7 ") == "C1234567"


def test_stored_warning_codes_read_as_sentences():
    assert "other sex" in warning_message(WarningCode.CCCD_SEX_MISMATCH)
    assert check_cccd(HOA_CCCD, sex="male")[0].message == warning_message(WarningCode.CCCD_SEX_MISMATCH)
    assert warning_message("no_such_code") == "no_such_code"
