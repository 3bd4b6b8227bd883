"""A seedable generator of Vietnamese person records with known truth, for tests and benchmarks.

People get 1 to 4 records from different agencies (border post, police, shelter, Women's Union,
hotline), each written the way that agency writes: every corruption in DOMAIN.md §4 (name order,
case, passport and MRZ forms, missing diacritics, old tone placement, mojibake, decomposed
Unicode, dropped Văn/Thị, Hoàng/Huỳnh and Vũ/Võ, typos; birth dates to the day, month, year or
estimated; CCCD and CMND numbers, typos, borrowed papers; provinces in many forms, the 63 former
names included). Hard negatives are planted on purpose: namesakes (same full name, same birth
year, same province), siblings, and people carrying a relative's papers.

Frequencies follow DOMAIN.md §4 where it gives them (Nguyễn ≈ 38%, Trần 11%, Lê 9.5%, Phạm 7.1%),
given names a published count of Vietnamese names (see `FEMALE_GIVEN`); the rest (middle names,
how often a date, number or province is missing or wrong) are plausible guesses, not
measurements.
"""

import csv
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from shield.geo.names import fold
from shield.linkage.engine.normalise import Record
from shield.people.cccd import FORMER_PROVINCES_CSV
from shield.people.surname_shares import KINH_SURNAME_SHARES, MINORITY_SURNAMES


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE_MIDDLES = (
    "Thu",
    "Ngọc",
    "Thanh",
    "Minh",
    "Kim",
    "Thúy",
    "Hồng",
    "Phương",
    "Bích",
    "Mỹ",
    "Hoài",
    "Diệu",
)
MALE_MIDDLES = (
    "Đức",
    "Minh",
    "Quang",
    "Hữu",
    "Công",
    "Xuân",
    "Thanh",
    "Trọng",
    "Đình",
    "Ngọc",
    "Tuấn",
    "Hoàng",
)
# Given names, commonest first (the order of the folded counts in a public list of 115,000
# Vietnamese full names, toanluu/vietname `first_names.tsv`), drawn with Zipf weights of exponent
# `GIVEN_NAME_ZIPF`. In that list the commonest given name (Anh) is 3.4% of people and two random
# people share a folded given name about 0.75% of the time; these pools give 3.4% and 0.80%.
# (Until November 2026: about 55 names a sex at exponent 0.9, which made two random people
# share a given name 3.4% of the time, four to five times the measured rate.)
FEMALE_GIVEN = _words(
    "Anh Linh Phương Nhi Trang Thủy Ngọc Vy Tiên Thảo Thu Hà Hương Hoa Ngân My Khánh Hiền Uyên "
    "Quỳnh Giang Như Trinh Tâm Huyền Quyên Yến Tuyền Mai Chi Trâm Hằng Ly Duyên Nga Hạnh Châu Hân "
    "Trúc Lan Vi Nhung Thương Hồng Loan Hậu Oanh Huệ Xuân Liên Đào Diệp Nghi Thy Nguyệt Tuyết "
    "Diễm Kiều Dung Vân Bích Sương Thoa Cúc Hoài Trà Nhàn Diệu Nhã Thùy Ánh Hảo Lụa Thắm Phượng "
    "Hường Huế Lam Ngà Khuê Dịu Gấm Lài Mơ Xoan Quế Lành Nụ Thêu Ngoan Huyên An Hạ Băng Đan Điệp "
    "Thoại Tươi Lựu Mến Vui Xinh Nương Yên Ái Sen Nhạn Thơ Hòa Thúy Lệ Hiên Bình Tú Mỹ Thanh"
)
MALE_GIVEN = _words(
    "Minh Hùng Dũng Huy Tuấn Anh Đức Nam Hiếu Duy Sơn Hoàng Đạt Long Dương Phúc Cường Hải Tiến "
    "Thắng Trung Quang Nhân Bình Phong Hào Quân Vinh Toàn Bảo Vũ Trường Thiện Khoa Nghĩa Tùng Sang "
    "Tài Thịnh Thuận Khang Tân Lộc Phát Phú Hậu Việt Thái Hiệp Nhật Trí Kiên Thông Khôi Quý Phước "
    "Đăng Định Thọ Mạnh Luân Chính Tín Chiến Vương Công Khải Kiệt Lợi Hoan Lâm Thành Hưng Tú "
    "Khánh Tâm Hòa Lực Tường Trọng Ninh Danh Đông Quốc Tuệ Bắc Huấn Kha Lương Triều Hiển Hoàn "
    "Hội Khiêm Lập Lưu Phụng Quyết Sỹ Tạo Thạch Thiệu Tuyên Uy Vĩnh Vượng Bằng Cảnh Chung Doanh "
    "Giáp Thanh An"
)
GIVEN_NAME_ZIPF = 0.45
# Minority given names: no counts found; pools of about twenty a sex, the same weights.
MINORITY_GIVEN_MALE = _words(
    "Páo Sử Chứ Dế Pó Chính Lềnh Tủa Vảng Xá Sính Chá Dình Sình Lử Tráng Dúa Cở Phử Chu Của Nủ"
)
MINORITY_GIVEN_FEMALE = _words("Mai Sinh Pà Chía Dua Mỷ Say Xúa Lìa Dợ Máy Dở Súa Vá Sua Ly Dinh Lan Xì Pằng")
AGENCIES = ("border_post", "police", "shelter", "womens_union", "hotline", "social_protection")
NEW_PROVINCE_FORMS = {"ha_noi": "Hà Nội", "ho_chi_minh": "Hồ Chí Minh", "hai_phong": "Hải Phòng"}
SHORT_FORMS = {"Hồ Chí Minh": ("TP HCM", "HCM", "Sài Gòn", "TP.HCM"), "Hà Nội": ("HN", "Ha Noi", "Hanoi")}


@dataclass(frozen=True)
class Rates:
    """How often each kind of record is incomplete or wrong: guesses, not measurements (no count of
    real agencies' records was at hand), gathered here so that a deployment that can count its own
    records sets them from those counts (`Generator(seed, rates=Rates(...))`, `bench/linkage.py
    --rates`). Shares of records unless said otherwise."""

    # People who get a planted look-alike (half namesakes, half siblings), on top of the
    # collisions the name frequencies make by themselves.
    hard_negatives: float = 0.05
    # People born in 2010 or before who hold a CCCD; people born before 1995 who hold a CMND.
    cccd_holders: float = 0.85
    cmnd_holders: float = 0.5
    # Records of a person with papers that leave the number out; numbers with one digit wrong.
    id_left_out: float = 0.4
    id_typo: float = 0.03
    # Birth dates: none, a year only, an estimated year one or two off, a year and month, a mistyped
    # part; the rest are full and right.
    date_missing: float = 0.06
    date_year_only: float = 0.18
    date_estimated: float = 0.06
    date_year_month: float = 0.05
    date_mistyped: float = 0.03
    # Provinces: none; where the agency met the person instead of their home.
    province_missing: float = 0.06
    province_elsewhere: float = 0.04
    # Sex: not written; written wrong.
    sex_missing: float = 0.08
    sex_wrong: float = 0.005


_OLD_TONE = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "úy": "uý", "ùy": "uỳ", "ủy": "uỷ"}
_VARIANT_SWAP = {"Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Vũ": "Võ", "Võ": "Vũ"}


@dataclass(frozen=True)
class Person:
    person_id: int
    family: str
    middle: str
    given: str
    sex: str
    birth_year: int
    birth_month: int
    birth_day: int
    province_code: str  # former (63) GSO code of the birth registration
    province_name: str  # former province name
    cccd: str | None
    cmnd: str | None


@dataclass(frozen=True)
class Dataset:
    records: list[Record]
    person_of: dict[str, int]  # record_id → person_id (the truth)


class Generator:
    """`Generator(seed).dataset(n_records)`: the same seed gives the same records."""

    def __init__(self, seed: int = 0, rates: Rates | None = None) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (test data, reproducible by seed)
        self.rates = rates or Rates()
        with FORMER_PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
            self.provinces = [(row["code"], row["name"]) for row in csv.DictReader(handle)]
        self._serials: set[str] = set()
        self._next_person = 0

    # --- people ---------------------------------------------------------------------------
    def _surname(self, minority: bool) -> str:
        if minority:
            return self.rng.choice(MINORITY_SURNAMES)
        names, weights = zip(*KINH_SURNAME_SHARES, strict=True)
        return self.rng.choices(names, weights)[0]

    def _zipf_choice(self, options: tuple[str, ...] | list[str]) -> str:
        weights = [1 / (rank + 1) ** GIVEN_NAME_ZIPF for rank in range(len(options))]
        return self.rng.choices(list(options), weights)[0]

    def _birth(self, year: int | None = None) -> tuple[int, int, int]:
        year = year or int(min(2016, max(1950, self.rng.gauss(1998, 12))))
        month = self.rng.randint(1, 12)
        return year, month, self.rng.randint(1, 28)

    def _cccd(self, sex: str, year: int, province_code: str) -> str:
        century = (year - 1900) // 100
        digit = century * 2 + (1 if sex == "F" else 0)
        while True:
            serial = f"{self.rng.randint(0, 999_999):06d}"
            number = f"0{province_code}{digit}{year % 100:02d}{serial}"
            if number not in self._serials:
                self._serials.add(number)
                return number

    def _cmnd(self) -> str:
        while True:
            number = f"{self.rng.randint(10_000_000, 399_999_999):09d}"
            if number not in self._serials:
                self._serials.add(number)
                return number

    def person(
        self,
        *,
        family: str | None = None,
        middle: str | None = None,
        given: str | None = None,
        sex: str | None = None,
        birth_year: int | None = None,
        province: tuple[str, str] | None = None,
    ) -> Person:
        rng = self.rng
        minority = family in MINORITY_SURNAMES if family else rng.random() < 0.12
        sex = sex or rng.choice("MF")
        family = family or self._surname(minority)
        if middle is None:
            if minority:
                middle = "A" if sex == "M" else "Thị"
            elif sex == "F":
                middle = rng.choices(
                    ["Thị", "Thị " + rng.choice(FEMALE_MIDDLES), rng.choice(FEMALE_MIDDLES)], [6, 2, 2]
                )[0]
            else:
                middle = rng.choices(
                    ["Văn", "Văn " + rng.choice(MALE_MIDDLES), rng.choice(MALE_MIDDLES)], [5, 1, 4]
                )[0]
        if given is None:
            pool = (
                (MINORITY_GIVEN_MALE if sex == "M" else MINORITY_GIVEN_FEMALE)
                if minority
                else (MALE_GIVEN if sex == "M" else FEMALE_GIVEN)
            )
            given = self._zipf_choice(pool)
        year, month, day = self._birth(birth_year)
        code, name = province or rng.choice(self.provinces)
        has_cccd = year <= 2010 and rng.random() < self.rates.cccd_holders
        person = Person(
            person_id=self._next_person,
            family=family,
            middle=middle,
            given=given,
            sex=sex,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            province_code=code,
            province_name=name,
            cccd=self._cccd(sex, year, code) if has_cccd else None,
            cmnd=self._cmnd() if year < 1995 and rng.random() < self.rates.cmnd_holders else None,
        )
        self._next_person += 1
        return person

    def hard_negative(self, person: Person) -> Person:
        """Someone easily taken for `person`: a namesake of the same year and province, or a
        sibling (same family, middle name and province, a few years apart)."""
        province = (person.province_code, person.province_name)
        if self.rng.random() < 0.5:
            return self.person(
                family=person.family,
                middle=person.middle,
                given=person.given,
                sex=person.sex,
                birth_year=person.birth_year,
                province=province,
            )
        return self.person(
            family=person.family,
            middle=person.middle if self.rng.random() < 0.5 else None,
            birth_year=person.birth_year + self.rng.choice([-3, -2, -1, 1, 2, 3]),
            province=province,
        )

    # --- how agencies write them ------------------------------------------------------------
    def _typo(self, word: str) -> str:
        letters = list(fold(word))
        if len(letters) < 3:
            return word
        i = self.rng.randrange(1, len(letters))
        kind = self.rng.random()
        if kind < 0.4:
            letters[i] = self.rng.choice("aeioundhgtmc")
        elif kind < 0.7:
            del letters[i]
        else:
            j = i - 1
            letters[i], letters[j] = letters[j], letters[i]
        return "".join(letters).capitalize()

    def _write_name(self, person: Person) -> str:
        rng = self.rng
        family, middle, given = person.family, person.middle, person.given
        if family in _VARIANT_SWAP and rng.random() < 0.25:
            family = _VARIANT_SWAP[family]
        middle_words = middle.split()
        if middle_words and middle_words[0] in ("Văn", "Thị", "A") and rng.random() < 0.2:
            middle_words = middle_words[1:]
        elif len(middle_words) > 1 and rng.random() < 0.1:
            middle_words = middle_words[:1]
        if rng.random() < 0.04:
            given = self._typo(given)
        elif rng.random() < 0.02:
            family = self._typo(family)
        words = [family, *middle_words, given]
        style = rng.random()
        if style < 0.08:  # passport order, capitals, no diacritics
            text = " ".join(fold(w).upper() for w in [given, *middle_words, family])
        elif style < 0.13:  # machine-readable zone
            text = fold(family).upper() + "<<" + "<".join(fold(w).upper() for w in [*middle_words, given])
        elif style < 0.16:  # surname, given names
            text = f"{family}, {' '.join([*middle_words, given])}"
        elif style < 0.19:  # western order, diacritics kept
            text = " ".join([given, *middle_words, family])
        else:
            text = " ".join(words)
        case = rng.random()
        if case < 0.2:
            text = fold(text) if rng.random() < 0.5 else fold(text).upper()
        elif case < 0.3:
            text = text.upper()
        elif case < 0.35:
            text = text.lower()
        if rng.random() < 0.06:
            for new, old in _OLD_TONE.items():
                text = text.replace(new, old)
        if rng.random() < 0.03:
            # UTF-8 read as Windows-1252 (bytes it leaves undefined pass through as Latin-1).
            text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode())
        elif rng.random() < 0.05:
            text = unicodedata.normalize("NFD", text)
        if rng.random() < 0.03:
            text = "  " + text.replace(" ", "  ") + " "
        return text

    def _write_birth(self, person: Person) -> str:
        rng = self.rng
        rates = self.rates
        y, m, d = person.birth_year, person.birth_month, person.birth_day
        r = rng.random()
        if r < (bound := rates.date_missing):
            return ""
        if r < (bound := bound + rates.date_year_only):
            return str(y)
        if r < (bound := bound + rates.date_estimated):  # an estimated age, written as a year
            return str(y + rng.choice([-2, -1, -1, 1, 1, 2]))
        if r < (bound := bound + rates.date_year_month):
            return f"{y:04d}-{m:02d}"
        if r < bound + rates.date_mistyped:
            if rng.random() < 0.5 and d <= 12:
                return f"{y:04d}-{d:02d}-{m:02d}"
            return f"{y:04d}-{m:02d}-{rng.randint(1, 28):02d}"
        return f"{y:04d}-{m:02d}-{d:02d}"

    def _write_id(self, person: Person, lender: Person | None) -> str:
        rng = self.rng
        if lender is not None:  # carrying someone else's papers
            return lender.cccd or lender.cmnd or ""
        options = [n for n in (person.cccd, person.cmnd) if n]
        if not options or rng.random() < self.rates.id_left_out:
            return ""
        number = rng.choice(options)
        if rng.random() < self.rates.id_typo:
            i = rng.randrange(len(number))
            number = number[:i] + str(rng.randint(0, 9)) + number[i + 1 :]
        if rng.random() < 0.1:
            number = " ".join(number[i : i + 3] for i in range(0, len(number), 3))
        return number

    def _write_province(self, person: Person) -> str:
        rng = self.rng
        r = rng.random()
        if r < self.rates.province_missing:
            return ""
        if r < self.rates.province_missing + self.rates.province_elsewhere:  # where the agency met them
            return rng.choice(self.provinces)[1]
        name = person.province_name
        name = SHORT_FORMS.get(name, (name,))[0] if rng.random() < 0.1 else name
        if rng.random() < 0.15:
            name = ("Tỉnh " if rng.random() < 0.7 else "TP. ") + name
        if rng.random() < 0.2:
            name = fold(name).title()
        return name

    def records_of(self, person: Person, count: int, lender: Person | None) -> Iterator[Record]:
        sources = self.rng.sample(AGENCIES, count)
        for index, source in enumerate(sources):
            sex = person.sex if self.rng.random() > self.rates.sex_missing else ""
            if sex and self.rng.random() < self.rates.sex_wrong:
                sex = "F" if sex == "M" else "M"
            yield Record(
                record_id=f"{source[:3]}-{person.person_id}-{index}",
                full_name=self._write_name(person),
                sex=sex,
                birth_date=self._write_birth(person),
                id_number=self._write_id(person, lender if index == 0 else None),
                province=self._write_province(person),
                source=source,
            )

    def dataset(self, n_records: int) -> Dataset:
        """About `n_records` records (exactly that many, the last person cut short if need be)."""
        rng = self.rng
        records: list[Record] = []
        person_of: dict[str, int] = {}
        while len(records) < n_records:
            people = [self.person()]
            if rng.random() < self.rates.hard_negatives:
                people.append(self.hard_negative(people[0]))
            for person in people:
                count = min(rng.choices([1, 2, 3, 4], [40, 32, 18, 10])[0], n_records - len(records))
                if count <= 0:
                    break
                lender = None
                if len(people) == 2 and person is people[1] and rng.random() < 0.3:
                    lender = people[0]  # the namesake or sibling travels on the other's papers
                for record in self.records_of(person, count, lender):
                    records.append(record)
                    person_of[record.record_id] = person.person_id
        shuffled = rng.sample(records, len(records))
        return Dataset(records=shuffled, person_of=person_of)


def write_csv(records: list[Record], path: str) -> None:
    """Records as the CLI reads them."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "full_name", "sex", "birth_date", "id_number", "province", "source"])
        for r in records:
            writer.writerow(
                [r.record_id, r.full_name, r.sex, r.birth_date, r.id_number, r.province, r.source]
            )
