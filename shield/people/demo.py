"""Synthetic people for the demo and for benchmarks (`manage.py demo_data --persons N`).

Never real people. Names follow DOMAIN.md §4: Nguyễn about 38% of Kinh family names, Trần 11%,
Lê 9.5%, Phạm 7.1% ...; Văn for men and Thị for women, sometimes dropped; about one person in ten
with a Hmong, Dao or Thái name from the northern mountains. Homes are real communes; birth dates
come with every precision; some are children; most carry a CCCD consistent with their sex and
year of birth, and a few a borrowed one that contradicts them.

Fast on purpose (100,000 persons in minutes): rows are built in memory and bulk-inserted in
batches, with one summary audit event for the whole import instead of one per person. Running it
again adds more people (seeded by how many exist, so each run differs but is reproducible).
"""

import datetime
import random
import sys
import uuid
from argparse import ArgumentParser
from collections import Counter
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import connection, reset_queries
from django.db.models import Field
from django.utils import timezone
from tqdm import tqdm

from shield import audit
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS
from shield.audit.models import AuditAction
from shield.geo.models import Commune, FormerProvince
from shield.people import birth_dates, identity_numbers, search
from shield.people.models import (
    Alias,
    AliasKind,
    BirthDatePrecision,
    DocumentKind,
    IdentityDocument,
    Person,
    PersonNameToken,
    Relationship,
    RelationshipKind,
    Sex,
)
from shield.people.names import fold_name
from shield.people.surname_shares import KINH_SURNAME_SHARES

BATCH_SIZE = 5_000
DEFAULT_PERSONS = 200
DEFAULT_SEED = 2026

# Agencies that register people in the demo, with how many of the people each registers.
OWNER_AGENCIES = {
    "spc-ha-noi": 30,
    "spc-an-giang": 15,
    "bg-lao-cai": 20,
    "wu-peaceful-house": 10,
    "ngo-hope-shelter": 10,
    "police-ha-noi": 15,
}

MALE_MIDDLE = ["Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân", "Ngọc", "Quang", "Trọng"]
FEMALE_MIDDLE = ["Ngọc", "Thu", "Thanh", "Minh", "Kim", "Phương", "Hồng", "Mai", "Bích", "Diệu"]
MALE_GIVEN = [
    "Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam",
    "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Hiếu",
    "Phúc", "Toàn", "Khoa", "Hưng", "Lộc", "Hoàng", "Vinh",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Linh",
    "Loan", "Mai", "My", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy",
    "Trang", "Tuyết", "Vân", "Yến", "Hòa", "Nga", "Nhi",
]  # fmt: skip


@dataclass(frozen=True)
class MinorityNames:
    ethnicity: str
    languages: tuple[str, ...]
    provinces: tuple[str, ...]
    surnames: tuple[str, ...]
    male_middle: tuple[str, ...]
    female_middle: tuple[str, ...]
    male_given: tuple[str, ...]
    female_given: tuple[str, ...]
    weight: float


MINORITIES = [
    MinorityNames(
        ethnicity="08",  # Mông
        languages=("hmn", "vi"),
        provinces=("lao_cai", "tuyen_quang", "dien_bien", "lai_chau", "son_la", "cao_bang"),
        surnames=("Sùng", "Giàng", "Vàng", "Thào", "Lý", "Mùa", "Cháng", "Hờ", "Lầu", "Sình", "Tráng", "Ly"),
        male_middle=("A",),
        female_middle=("Thị", "Mí", "Thị"),
        male_given=("Páo", "Chứ", "Dế", "Sử", "Lử", "Chang", "Sính", "Súa", "Dính", "Pó", "Tủa", "Dình"),
        female_given=("Mai", "Mỷ", "Dua", "Sua", "Chở", "Pằng", "Dợ", "Say", "Máy", "Dở"),
        weight=5.0,
    ),
    MinorityNames(
        ethnicity="09",  # Dao
        languages=("ium", "vi"),
        provinces=("lao_cai", "tuyen_quang", "thai_nguyen", "cao_bang", "quang_ninh"),
        surnames=("Bàn", "Triệu", "Đặng", "Lý", "Phàn", "Chảo", "Tẩn"),
        male_middle=("Văn", "Tà", "Láo"),
        female_middle=("Thị", "Mùi"),
        male_given=("Phin", "Sơn", "Lưu", "Quẩy", "Chòi", "Kiều", "Vần", "Sành"),
        female_given=("Mẩy", "Mây", "Nái", "Xiêm", "Pham", "Liều"),
        weight=2.0,
    ),
    MinorityNames(
        ethnicity="03",  # Thái
        languages=("blt", "vi"),
        provinces=("son_la", "dien_bien", "lai_chau", "thanh_hoa", "nghe_an"),
        surnames=("Lò", "Lường", "Quàng", "Cầm", "Điêu", "Hà", "Vì", "Tòng", "Lù"),
        male_middle=("Văn",),
        female_middle=("Thị",),
        male_given=("Ơn", "Xuân", "Thoản", "Pánh", "Ính", "Ban", "Inh", "Khánh"),
        female_given=("Éng", "Lả", "Khằm", "Ỏn", "Piêng", "Xuân", "Hom", "Bua"),
        weight=3.0,
    ),
]
MINORITY_SHARE = 0.10

PRECISIONS = [
    (BirthDatePrecision.DAY, 60),
    (BirthDatePrecision.MONTH, 8),
    (BirthDatePrecision.YEAR, 15),
    (BirthDatePrecision.ESTIMATED_AGE, 12),
    (BirthDatePrecision.UNKNOWN, 5),
]
CHILD_SHARE = 0.30
BORROWED_DOCUMENT_SHARE = 0.03


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--persons",
        type=int,
        default=DEFAULT_PERSONS,
        help=f"How many synthetic people to add (default: {DEFAULT_PERSONS}).",
    )
    parser.add_argument(
        "--persons-seed",
        type=int,
        default=DEFAULT_SEED,
        help="Random seed for the people; the same seed on the same database gives the same people.",
    )


@dataclass(frozen=True)
class _Owner:
    agency: Agency
    registered_by: User


def _owners(out: TextIO) -> list[tuple[_Owner, int]]:
    """The demo agencies that exist, each with a member who registers its people."""
    registering_roles = [role for role, perms in ROLE_PERMISSIONS.items() if "people.register" in perms]
    agencies = {a.code: a for a in Agency.objects.filter(code__in=list(OWNER_AGENCIES), is_active=True)}
    owners = []
    for code, weight in OWNER_AGENCIES.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        members = Membership.objects.filter(agency=agency, is_active=True).select_related("user")
        membership = (
            members.filter(role__in=registering_roles).order_by("created_at").first()
            or members.order_by("created_at").first()
        )
        if membership is None:
            out.write(f"  (no member of {code} to register people: its share goes to the others)\n")
            continue
        owners.append((_Owner(agency, membership.user), weight))
    return owners


# Most people in a Vietnamese registry are Vietnamese; victims from neighbouring countries are
# detected too (so statistics by citizenship have more than one row).
FOREIGN_SHARE = 0.05
FOREIGN_NATIONALITIES = [("KH", 30), ("LA", 25), ("CN", 20), ("MM", 10), ("TH", 10), ("PH", 5)]


def _nationality(rng: random.Random) -> str:
    if rng.random() >= FOREIGN_SHARE:
        return "VN"
    return rng.choices([c for c, _w in FOREIGN_NATIONALITIES], [w for _c, w in FOREIGN_NATIONALITIES])[0]


class _Generator:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        communes = list(Commune.objects.values_list("pk", "province_id", "province__codename"))
        self.communes = communes
        self.communes_by_province: dict[str, list[tuple[Any, Any, str]]] = {}
        for row in communes:
            self.communes_by_province.setdefault(row[2], []).append(row)
        self.former_codes: dict[Any, list[str]] = {}
        for code, successor_id in FormerProvince.objects.values_list("code", "successor_id"):
            self.former_codes.setdefault(successor_id, []).append(code)
        self.all_former_codes = [c for codes in self.former_codes.values() for c in codes]
        self.kinh_names = [n for n, _w in KINH_SURNAME_SHARES]
        self.kinh_weights = [w for _n, w in KINH_SURNAME_SHARES]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def name(self, sex: str) -> tuple[str, str, str, MinorityNames | None]:
        rng = self.rng
        female = sex == Sex.FEMALE if sex in (Sex.FEMALE, Sex.MALE) else rng.random() < 0.5
        if rng.random() < MINORITY_SHARE:
            group = rng.choices(MINORITIES, [m.weight for m in MINORITIES])[0]
            middle = rng.choice(group.female_middle if female else group.male_middle)
            given = rng.choice(group.female_given if female else group.male_given)
            return rng.choice(group.surnames), middle, given, group
        family = rng.choices(self.kinh_names, self.kinh_weights)[0]
        roll = rng.random()
        if roll < 0.55:
            middle = "Thị" if female else "Văn"
        elif roll < 0.9:
            middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        else:
            middle = ""  # Văn and Thị are often dropped
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        return family, middle, given, None

    def birth(self) -> dict[str, Any]:
        rng = self.rng
        age = rng.randint(8, 17) if rng.random() < CHILD_SHARE else rng.randint(18, 55)
        born = self.today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        precision = rng.choices([p for p, _w in PRECISIONS], [w for _p, w in PRECISIONS])[0]
        estimated_age = estimated_on = None
        if precision == BirthDatePrecision.ESTIMATED_AGE:
            estimated_on = self.today - datetime.timedelta(days=rng.randint(0, 700))
            estimated_age = max(0, age + rng.randint(-2, 1) - (self.today - estimated_on).days // 365)
        stored = birth_dates.stored_birth(
            precision=precision,
            birth_date=None if precision == BirthDatePrecision.UNKNOWN else born,
            estimated_age=estimated_age,
            age_estimated_on=estimated_on,
        )
        return {
            "birth_date_precision": precision,
            "birth_date": stored.birth_date,
            "birth_year": stored.birth_year,
            "estimated_age": estimated_age,
            "age_estimated_on": estimated_on,
            "_true_birth": born,
        }

    def home(self, group: MinorityNames | None) -> tuple[Any, Any]:
        """(commune id, province id): a real commune, sometimes only the province, sometimes none."""
        rng = self.rng
        pool = self.communes
        if group is not None:
            pool = self.communes_by_province.get(rng.choice(group.provinces)) or pool
        commune_id, province_id, _codename = rng.choice(pool)
        roll = rng.random()
        if roll < 0.05:
            return None, None
        if roll < 0.20:
            return None, province_id
        return commune_id, province_id

    def cccd(self, sex: str, born: datetime.date, province_id: Any) -> str:
        rng = self.rng
        year = born.year
        female = sex == Sex.FEMALE
        if rng.random() < BORROWED_DOCUMENT_SHARE:
            if rng.random() < 0.5:
                female = not female
            else:
                year += rng.choice([-1, 1]) * rng.randint(3, 12)
        codes = self.former_codes.get(province_id) or self.all_former_codes
        century = (year - 1900) // 100
        digit = 2 * century + (1 if female else 0)
        return f"0{rng.choice(codes)}{digit}{year % 100:02d}{rng.randint(0, 999_999):06d}"

    def documents(self, person: Person, born: datetime.date) -> list[IdentityDocument]:
        rng = self.rng
        age = (self.today - born).days // 365
        documents: list[IdentityDocument] = []
        roll = rng.random()
        if age >= 14 and roll < 0.60:
            kind, number = DocumentKind.CCCD, self.cccd(person.sex, born, person.home_province_id)
        elif age >= 25 and roll < 0.70:
            kind, number = DocumentKind.CMND, f"{rng.randint(10, 38)}{rng.randint(0, 9_999_999):07d}"
        elif age >= 16 and roll < 0.80:
            kind, number = DocumentKind.PASSPORT, f"{rng.choice('BCNP')}{rng.randint(0, 9_999_999):07d}"
        elif age < 14 and roll < 0.50:
            kind, number = DocumentKind.BIRTH_CERTIFICATE, f"{rng.randint(1, 999)}/{born.year}"
        else:
            return documents
        tolerance = 2 if person.birth_date_precision == BirthDatePrecision.ESTIMATED_AGE else 0
        warnings = identity_numbers.check_document(
            kind, number, sex=person.sex, birth_year=person.birth_year, birth_year_tolerance=tolerance
        )
        issued = self.today - datetime.timedelta(days=rng.randint(30, 3_000))
        documents.append(
            IdentityDocument(
                id=self.uuid(),
                person=person,
                kind=kind,
                number=number,
                number_normalized=identity_numbers.normalize_number(number),
                issuing_country="VN",
                issued_on=issued,
                warnings=[w.code for w in warnings],
            )
        )
        return documents


class _KeyWriter:
    """Inserts search-key rows as plain tuples: there are about five per person, and building a
    model instance for each would double the generator's time."""

    def __init__(self) -> None:
        fields = [self._field(name) for name in ("token", "person", "name_folded", "birth_year")]
        self.person_field = fields[1]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # Table and column names come from the model, values are parameters.
        table = connection.ops.quote_name(PersonNameToken._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)"  # noqa: S608

    @staticmethod
    def _field(name: str) -> Field[Any, Any]:
        field = PersonNameToken._meta.get_field(name)
        assert isinstance(field, Field)
        return field

    def person_id(self, pk: uuid.UUID) -> Any:
        return self.person_field.get_db_prep_save(pk, connection)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def load(*, options: dict[str, Any], out: TextIO) -> None:
    total = int(options.get("persons") or 0)
    if total <= 0:
        return
    owners = _owners(out)
    if not owners:
        out.write("People: no demo agency with members found; no people added.\n")
        return
    existing = Person.objects.count()
    # Synthetic data, not secrets: a seeded generator makes runs reproducible.
    rng = random.Random(f"{options.get('persons_seed', DEFAULT_SEED)}:{existing}")  # noqa: S311
    generator = _Generator(rng, timezone.localdate())
    # Citizenship from a generator of its own, so the other draws (and the people) stay as before.
    nationalities = random.Random(f"{options.get('persons_seed', DEFAULT_SEED)}:{existing}:nationality")  # noqa: S311
    owner_weights = [w for _o, w in owners]
    key_writer = _KeyWriter()
    per_agency: Counter[str] = Counter()
    children = 0
    with tqdm(total=total, desc="people", unit=" persons", file=sys.stderr, mininterval=1.0) as progress:
        for start in range(0, total, BATCH_SIZE):
            size = min(BATCH_SIZE, total - start)
            persons: list[Person] = []
            documents: list[IdentityDocument] = []
            aliases: list[Alias] = []
            relationships: list[Relationship] = []
            tokens: list[tuple[Any, ...]] = []
            for _ in range(size):
                owner = rng.choices(owners, owner_weights)[0][0]
                sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN], [70, 28, 2])[0]
                family, middle, given, group = generator.name(sex)
                birth = generator.birth()
                born = birth.pop("_true_birth")
                commune_id, province_id = generator.home(group)
                full_name = " ".join(p for p in (family, middle, given) if p)
                person = Person(
                    id=generator.uuid(),
                    full_name=full_name,
                    family_name=family,
                    middle_name=middle,
                    given_name=given,
                    name_folded=fold_name(full_name),
                    sex=sex,
                    nationality=_nationality(nationalities),
                    ethnicity=group.ethnicity if group else ("01" if rng.random() < 0.9 else ""),
                    languages=list(group.languages) if group else ["vi"],
                    home_commune_id=commune_id,
                    home_province_id=province_id,
                    contact=f"0{rng.choice('389')}{rng.randint(0, 99_999_999):08d}"
                    if rng.random() < 0.5
                    else "",
                    disability="",
                    owner_agency=owner.agency,
                    registered_by=owner.registered_by,
                    **birth,
                )
                persons.append(person)
                per_agency[owner.agency.code] += 1
                alias_names = []
                if rng.random() < 0.05:
                    alias_names.append(f"{rng.choice(['Bé', 'Cô', 'Em'])} {given}")
                    aliases.append(
                        Alias(
                            id=generator.uuid(),
                            person=person,
                            name=alias_names[-1],
                            name_folded=fold_name(alias_names[-1]),
                            kind=AliasKind.NICKNAME,
                        )
                    )
                if person.is_child(generator.today):
                    children += 1
                    if rng.random() < 0.3:
                        mother = f"{rng.choices(generator.kinh_names, generator.kinh_weights)[0]} Thị "
                        relationships.append(
                            Relationship(
                                id=generator.uuid(),
                                person=person,
                                kind=RelationshipKind.PARENT,
                                related_name=mother + rng.choice(FEMALE_GIVEN),
                            )
                        )
                documents += generator.documents(person, born)
                person_id = key_writer.person_id(person.pk)
                tokens += [
                    (token, person_id, person.name_folded, person.birth_year)
                    for token in search.person_name_keys(full_name, family, middle, given, *alias_names)
                ]
            Person.objects.bulk_create(persons, batch_size=1_000)
            IdentityDocument.objects.bulk_create(documents, batch_size=1_000)
            Alias.objects.bulk_create(aliases, batch_size=1_000)
            Relationship.objects.bulk_create(relationships, batch_size=1_000)
            key_writer.write(tokens)
            # DEBUG (the demo's settings) keeps the SQL of the last 9,000 queries: bulk inserts
            # would hold gigabytes.
            reset_queries()
            progress.update(size)
    audit.record(
        action=AuditAction.IMPORT,
        object_type=Person._meta.label_lower,
        reason=f"Demo data: {total} synthetic persons",
    )
    shares = ", ".join(f"{code} {count}" for code, count in per_agency.most_common())
    out.write(f"\nPeople: {total} synthetic persons added ({children} children); by agency: {shares}\n")
