"""Registering and changing people: parsing, validation, concurrency, audit, documents."""

import datetime

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.audit.models import AuditEvent
from shield.core.errors import StaleVersion, ValidationFailed, VersionRequired
from shield.geo.models import Commune
from shield.people import services
from shield.people.identity_numbers import WarningCode
from shield.people.models import IdentityDocument, Person, PersonNameToken
from shield.people.tests.factories import document, person

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def worker():
    return member(Role.CASE_WORKER, agency=AgencyFactory(province=province("01")))


def register(worker, **fields):
    fields.setdefault("full_name", "Nguyễn Thị Hoa")
    fields.setdefault("sex", "female")
    return services.person_register(actor=worker, owner_agency=worker.primary_agency, **fields)


def tokens(p):
    return set(PersonNameToken.objects.filter(person=p).values_list("token", flat=True))


def row(p):
    return Person.objects.filter(pk=p.pk).values().get()


def test_register_parses_and_folds_the_name(worker):
    hoa = register(worker, full_name="  HOA THI NGUYEN ", birth_date=D(1995, 3, 14))
    assert hoa.full_name == "HOA THI NGUYEN"
    assert (hoa.family_name, hoa.middle_name, hoa.given_name) == ("Nguyen", "Thi", "Hoa")
    assert hoa.name_folded == "nguyen thi hoa"
    # Each word, and each pair of words but Văn and Thị (see shield.people.search).
    assert tokens(hoa) == {"nguyen", "thi", "hoa", "hoa nguyen"}
    assert hoa.birth_year == 1995
    assert hoa.birth_date_precision == "day"
    assert hoa.owner_agency == worker.primary_agency
    assert hoa.registered_by == worker
    assert hoa.version == 1


def test_register_keeps_name_parts_the_user_corrected(worker):
    p = register(worker, full_name="Tôn Nữ Thị Hà", family_name="Tôn Nữ", middle_name="Thị", given_name="Hà")
    assert (p.family_name, p.middle_name, p.given_name) == ("Tôn Nữ", "Thị", "Hà")
    assert p.name_folded == "ton nu thi ha"


def test_register_repairs_mojibake(worker):
    p = register(worker, full_name="Nguyễn Thị Hoa".encode().decode("cp1252"))
    assert p.full_name == "Nguyễn Thị Hoa"
    assert p.family_name == "Nguyễn"


def test_register_reports_every_problem_at_once_and_saves_nothing(worker):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        register(
            worker,
            full_name="   ",
            sex="girl",
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
            nationality="XX",
            ethnicity="99",
            languages=["Vietnamese"],
        )
    assert set(caught.value.field_errors) == {
        "full_name",
        "sex",
        "birth_date",
        "nationality",
        "ethnicity",
        "languages",
    }
    assert "future" in caught.value.field_errors["birth_date"][0]
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"estimated_age": 121}, {"estimated_age"}),
        ({"birth_date_precision": "estimated_age"}, {"estimated_age"}),
        ({"birth_date_precision": "day"}, {"birth_date"}),
        ({"birth_date_precision": "unknown", "birth_date": D(2000, 1, 1)}, {"birth_date"}),
        (
            {"birth_date_precision": "day", "birth_date": D(2000, 1, 1), "estimated_age": 20},
            {"estimated_age"},
        ),
        ({"estimated_age": 20, "birth_date": D(2000, 1, 1)}, {"birth_date"}),
        (
            {"estimated_age": 20, "age_estimated_on": timezone.localdate() + datetime.timedelta(days=3)},
            {"age_estimated_on"},
        ),
        ({"birth_date_precision": "decade", "birth_date": D(2000, 1, 1)}, {"birth_date_precision"}),
    ],
)
def test_birth_fields_must_agree_with_their_precision(worker, fields, bad):
    with pytest.raises(ValidationFailed) as caught:
        register(worker, **fields)
    assert set(caught.value.field_errors) == bad


def test_month_and_year_precision_store_the_first_day(worker):
    by_month = register(worker, birth_date=D(2010, 5, 20), birth_date_precision="month")
    by_year = register(worker, birth_date=D(2010, 5, 20), birth_date_precision="year")
    assert (by_month.birth_date, by_month.birth_year) == (D(2010, 5, 1), 2010)
    assert (by_year.birth_date, by_year.birth_year) == (D(2010, 1, 1), 2010)


def test_an_estimated_age_is_estimated_today_unless_told_and_gives_a_birth_year(worker):
    today = timezone.localdate()
    p = register(worker, estimated_age=15)
    assert p.birth_date_precision == "estimated_age"
    assert p.age_estimated_on == today
    assert p.birth_year in (today.year - 16, today.year - 15)
    assert p.is_child() is True


def test_no_birth_information_is_unknown(worker):
    p = register(worker)
    assert (p.birth_date_precision, p.birth_date, p.birth_year) == ("unknown", None, None)
    assert p.is_child() is None


def test_home_province_follows_the_commune(worker):
    commune = Commune.objects.select_related("province").filter(province__code="01").first()
    p = register(worker, home_commune=commune)
    assert p.home_province == commune.province
    with pytest.raises(ValidationFailed) as caught:
        register(worker, home_commune=commune, home_province=province("79"))
    assert set(caught.value.field_errors) == {"home_province"}
    only_province = register(worker, home_province=province("79"))
    assert only_province.home_commune is None
    assert only_province.home_province == province("79")


def test_languages_and_ethnicity_are_stored_as_codes(worker):
    p = register(worker, ethnicity="08", languages=["HMN", "vi", "hmn"], nationality="la")
    assert p.ethnicity == "08"
    assert p.get_ethnicity_display() == "Hmong"
    assert p.languages == ["hmn", "vi"]
    assert p.nationality.code == "LA"


def test_register_is_audited_with_field_names(worker):
    p = register(worker, birth_date=D(1995, 3, 14), contact="0912 345 678")
    event = AuditEvent.objects.get(object_id=str(p.pk))
    assert event.action == "create"
    assert event.object_type == "people.person"
    assert event.actor == worker
    assert {"full_name", "birth_date", "contact", "owner_agency"} <= set(event.changed_fields)


def test_update_with_a_stale_version_is_refused_and_changes_nothing(worker):
    hoa = register(worker, birth_date=D(1995, 3, 14))
    services.person_update(actor=worker, person=hoa, expected_version=1, disability="Hearing")
    before, events, keys = row(hoa), AuditEvent.objects.count(), tokens(hoa)
    stale = Person.objects.get(pk=hoa.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.person_update(actor=worker, person=stale, expected_version=1, full_name="Trần Thị Lan")
    assert row(hoa) == before
    assert AuditEvent.objects.count() == events
    assert tokens(hoa) == keys
    assert stale.full_name == "Nguyễn Thị Hoa"  # the caller's copy is left as it was read


def test_update_without_a_version_is_refused(worker):
    hoa = register(worker)
    before = row(hoa)
    with pytest.raises(VersionRequired):
        services.person_update(actor=worker, person=hoa, expected_version=None, full_name="Trần Thị Lan")
    assert row(hoa) == before


def test_update_rederives_name_year_province_and_search_keys(worker):
    hoa = register(worker, birth_date=D(1995, 3, 14))
    commune = Commune.objects.select_related("province").filter(province__code="79").first()
    services.person_update(
        actor=worker,
        person=hoa,
        expected_version=1,
        full_name="HUYNH THI LAN",
        birth_date=D(1994, 1, 1),
        birth_date_precision="year",
        home_commune=commune,
    )
    hoa.refresh_from_db()
    assert (hoa.family_name, hoa.middle_name, hoa.given_name) == ("Huynh", "Thi", "Lan")
    assert hoa.name_folded == "huynh thi lan"
    assert tokens(hoa) == {"hoang", "thi", "lan", "hoang lan"}
    # The key rows carry the new name and year too, for the order and the year filter of searches.
    assert set(PersonNameToken.objects.filter(person=hoa).values_list("name_folded", "birth_year")) == {
        ("huynh thi lan", 1994)
    }
    assert (hoa.birth_year, hoa.birth_date_precision) == (1994, "year")
    assert hoa.home_province == commune.province
    assert hoa.version == 2
    event = AuditEvent.objects.filter(object_id=str(hoa.pk), action="update").get()
    assert {"full_name", "family_name", "name_folded", "birth_year", "home_commune", "home_province"} <= set(
        event.changed_fields
    )
    assert "sex" not in event.changed_fields


def test_correcting_one_name_part_keeps_the_others(worker):
    p = register(worker, full_name="Hoa Nguyen Thi")
    services.person_update(actor=worker, person=p, expected_version=1, given_name="Hòa")
    p.refresh_from_db()
    assert (p.full_name, p.family_name, p.middle_name, p.given_name) == (
        "Hoa Nguyen Thi",
        "Nguyen",
        "Thi",
        "Hòa",
    )


def test_birth_fields_change_as_one_group(worker):
    p = register(worker, birth_date=D(1995, 3, 14))
    services.person_update(actor=worker, person=p, expected_version=1, estimated_age=30)
    p.refresh_from_db()
    assert (p.birth_date_precision, p.estimated_age) == ("estimated_age", 30)
    services.person_update(actor=worker, person=p, expected_version=2, disability="none")
    p.refresh_from_db()
    assert p.estimated_age == 30  # untouched by a change elsewhere


def test_update_that_changes_nothing_writes_nothing(worker):
    p = register(worker, birth_date=D(1995, 3, 14))
    events = AuditEvent.objects.count()
    services.person_update(actor=worker, person=p, expected_version=1, full_name="Nguyễn Thị Hoa")
    assert Person.objects.get(pk=p.pk).version == 1
    assert AuditEvent.objects.count() == events


def test_update_refuses_unknown_fields(worker):
    p = register(worker)
    with pytest.raises(TypeError, match="owner_agency"):
        services.person_update(actor=worker, person=p, expected_version=1, owner_agency=None)


def test_audit_never_holds_the_contact_details(worker):
    # Words, not digits: hashes and ids in the audit rows are hexadecimal and could hold any digits.
    p = register(worker, contact="Mẹ Lụa, zalo của mẹ")
    services.person_update(actor=worker, person=p, expected_version=1, contact="Chị Xuyến, zalo của chị")
    rows = [str(values) for values in AuditEvent.objects.values()]
    assert any("contact" in r for r in rows)
    assert not any("zalo" in r or "Xuyến" in r or "Lụa" in r for r in rows)
    assert Person.objects.get(pk=p.pk).contact == "Chị Xuyến, zalo của chị"
    stored = Person.objects.filter(pk=p.pk).values_list(Cast("contact", TextField()), flat=True).get()
    assert "zalo" not in stored


def test_a_document_that_contradicts_its_holder_is_saved_with_warnings():
    hoa = person(birth_date=D(1995, 3, 14))
    fits = document(of=hoa, number="001195012345")
    borrowed = document(of=hoa, kind="cccd", number="001 098 012 345")
    assert fits.warnings == []
    assert borrowed.warnings == [WarningCode.CCCD_SEX_MISMATCH, WarningCode.CCCD_BIRTH_YEAR_MISMATCH]
    assert borrowed.number == "001 098 012 345"
    assert borrowed.number_normalized == "001098012345"
    assert len(borrowed.warning_messages) == 2
    event = AuditEvent.objects.get(object_id=str(borrowed.pk))
    assert "number" in event.changed_fields
    assert "012345" not in str(AuditEvent.objects.filter(pk=event.pk).values().get())


def test_an_estimated_age_leaves_room_for_the_cccd_year():
    p = person(birth_date=None, estimated_age=30, age_estimated_on=D(2025, 6, 1))
    near = document(of=p, number=f"0011{(p.birth_year + 1) % 100:02d}012345")
    far = document(of=p, number=f"0011{(p.birth_year + 5) % 100:02d}012345")
    assert near.warnings == []
    assert far.warnings == [WarningCode.CCCD_BIRTH_YEAR_MISMATCH]


def test_document_problems_are_refused_field_by_field():
    hoa = person()
    document(of=hoa, number="001195012345")
    with pytest.raises(ValidationFailed) as caught:
        services.document_add(
            actor=hoa.registered_by,
            person=hoa,
            kind="cccd",
            number="001-195-012-345",
            issuing_country="ZZ",
            issued_on=D(2020, 1, 1),
            expires_on=D(2019, 1, 1),
        )
    assert set(caught.value.field_errors) == {"number", "issuing_country", "expires_on"}
    with pytest.raises(ValidationFailed) as caught:
        services.document_add(actor=hoa.registered_by, person=hoa, kind="visa", number=" - ")
    assert set(caught.value.field_errors) == {"kind", "number"}
    assert IdentityDocument.objects.filter(person=hoa).count() == 1


def test_changing_sex_or_birth_rechecks_the_documents(worker):
    p = register(worker, sex="male", birth_date=D(1995, 3, 14))
    card = services.document_add(actor=worker, person=p, kind="cccd", number="001195012345")
    assert card.warnings == [WarningCode.CCCD_SEX_MISMATCH]
    services.person_update(actor=worker, person=p, expected_version=1, sex="female")
    card.refresh_from_db()
    assert card.warnings == []


def test_aliases_are_recorded_once_and_indexed(worker):
    p = register(worker)
    alias = services.alias_add(actor=worker, person=p, name="Bé Mây")
    assert alias.name_folded == "be may"
    assert {"be", "may", "be may", "hoa may", "may nguyen"} <= tokens(p)
    with pytest.raises(ValidationFailed) as caught:
        services.alias_add(actor=worker, person=p, name="BE MAY", kind="spelling")
    assert set(caught.value.field_errors) == {"name"}
    assert AuditEvent.objects.filter(object_id=str(alias.pk), action="create").exists()


def test_a_relationship_names_someone_other_than_the_person(worker):
    child = register(worker, full_name="Nguyễn Văn Nam", sex="male", estimated_age=12)
    mother = register(worker, full_name="Lê Thị Lan")
    by_record = services.relationship_add(actor=worker, person=child, kind="parent", related_person=mother)
    by_name = services.relationship_add(
        actor=worker, person=child, kind="guardian", related_name="Trần Văn Tâm"
    )
    assert by_record.related_person == mother
    assert by_name.related_name == "Trần Văn Tâm"
    with pytest.raises(ValidationFailed) as caught:
        services.relationship_add(actor=worker, person=child, kind="sibling")
    assert set(caught.value.field_errors) == {"related_name"}
    with pytest.raises(ValidationFailed) as caught:
        services.relationship_add(actor=worker, person=child, kind="friend", related_person=child)
    assert set(caught.value.field_errors) == {"kind", "related_person"}
