"""Folding Vietnamese text (no database)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shield.geo.names import fold, province_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Thị Hoa", "nguyen thi hoa"),
        ("ĐẮK LẮK", "dak lak"),
        ("Đồng Tháp", "dong thap"),
        ("Hoà Bình", "hoa binh"),
        ("Hòa Bình", "hoa binh"),
        # Decomposed input (as some keyboards and macOS file names produce) folds the same.
        ("Ho\u0300a Bi\u0300nh", "hoa binh"),
        ("  Hà   Nội\t", "ha noi"),
        ("", ""),
    ],
)
def test_fold_drops_marks_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_leaves_no_combining_marks_or_d_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded
    assert "Đ" not in folded


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Thành phố Hồ Chí Minh", "ho chi minh"),
        ("TP. Hồ Chí Minh", "ho chi minh"),
        ("TP.HCM", "hcm"),
        ("Tỉnh Hà Tĩnh", "ha tinh"),
        ("Hà Tĩnh", "ha tinh"),
        ("Thanh Hoá", "thanh hoa"),
        ("Bà Rịa\u2013Vũng Tàu", "ba ria vung tau"),
        ("Ho Chi Minh City", "ho chi minh"),
        ("Lao Cai Province", "lao cai"),
        ("Tỉnh", "tinh"),
    ],
)
def test_province_key_strips_prefixes_suffixes_and_punctuation(text, key):
    assert province_key(text) == key
