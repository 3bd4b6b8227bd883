"""The engine compares names without the words of address and nicknames typed with them."""

import pytest

from shield.linkage.engine.normalise import Record, features, name_features


def record(full_name: str) -> Record:
    return Record(record_id="1", full_name=full_name, sex="F", birth_date="1995", province="Hà Nội")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Bà Nguyễn Thị Hoa", "Nguyễn Thị Hoa"),
        ("Chị Nguyễn Thị Hoa (Hoa Đen)", "Nguyễn Thị Hoa"),
        ("CHI NGUYEN THI HOA", "NGUYEN THI HOA"),
        ("Mrs Hoa Thi Nguyen", "Hoa Thi Nguyen"),
        ("Lò Văn Tủa tức Tủa", "Lò Văn Tủa"),
        ("Trần Văn Nam còn gọi là Tèo", "Trần Văn Nam"),
        ("Pham Thi Lan aka Lily", "Pham Thi Lan"),
        ("Anh Nguyễn Văn Nam", "Nguyễn Văn Nam"),
    ],
)
def test_features_are_those_of_the_name_alone(typed, name):
    assert features(record(typed)) == features(record(name))


def test_tokens_and_initials_come_from_the_name_alone():
    typed = name_features("Bà Nguyễn Thị Hoa (Hoa Đen)")
    assert typed.tokens == "hoa nguyen"
    assert typed.initials == "nh"
    assert (typed.family, typed.given, typed.middle) == ("nguyen", "hoa", None)


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [("Chu Văn An", "chu", "an"), ("CHU VAN AN", "chu", "an"), ("Anh Nguyen", "nguyen", "anh")],
)
def test_a_name_that_opens_like_a_word_of_address_is_compared_whole(name, family, given):
    compared = name_features(name)
    assert (compared.family, compared.given_folded) == (family, given)
