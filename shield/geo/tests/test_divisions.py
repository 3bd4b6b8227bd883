"""The 34 provinces and 3,321 communes loaded by migration 0002, and `load_geography`."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from shield.audit.models import AuditEvent
from shield.geo import loading
from shield.geo.models import Commune, Province
from shield.geo.selectors import commune_list, province_list

pytestmark = pytest.mark.django_db


def test_migrations_load_34_provinces_with_two_digit_codes():
    codes = list(Province.objects.values_list("code", flat=True))
    assert len(codes) == 34
    assert all(re.fullmatch(r"\d{2}", code) for code in codes)
    assert Province.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Province.objects.get(codename="ho_chi_minh").code == "79"


def test_migrations_load_3321_communes_with_five_digit_codes():
    codes = list(Commune.objects.values_list("code", flat=True))
    assert len(codes) == 3321
    assert len(set(codes)) == 3321
    assert all(re.fullmatch(r"\d{5}", code) for code in codes)
    hoan_kiem = Commune.objects.select_related("province").get(code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.division_type == "phường"
    assert hoan_kiem.province.code == "01"


def test_every_commune_belongs_to_a_province_and_every_province_has_communes():
    assert not Commune.objects.filter(province__isnull=True).exists()
    assert sum(p.communes.count() for p in Province.objects.all()) == 3321
    assert not Province.objects.filter(communes__isnull=True).exists()


def test_loaded_divisions_match_the_package_exactly():
    in_db = {
        code: (name, codename, division_type, province_code)
        for code, name, codename, division_type, province_code in Commune.objects.values_list(
            "code", "name", "codename", "division_type", "province__code"
        )
    }
    in_package = {
        row.code: (row.name, row.codename, row.division_type, row.province_code)
        for row in loading.package_communes()
    }
    assert in_db == in_package


def test_province_list_is_ordered_by_code():
    codes = [p.code for p in province_list()]
    assert codes == sorted(codes)
    assert len(codes) == 34


def test_commune_list_holds_only_the_given_province():
    hue = Province.objects.get(codename="hue")
    communes = list(commune_list(province=hue))
    assert communes
    assert {c.province_id for c in communes} == {hue.pk}
    assert len(communes) == Commune.objects.filter(province__codename="hue").count()


def _run_load_geography() -> str:
    out = StringIO()
    call_command("load_geography", stdout=out)
    return out.getvalue()


def test_load_geography_on_a_loaded_database_changes_nothing():
    before = {
        "provinces": dict(Province.objects.values_list("code", "updated_at")),
        "communes": dict(Commune.objects.values_list("code", "updated_at")),
    }
    output = _run_load_geography()
    assert "Provinces: 0 created, 0 updated, 34 unchanged" in output
    assert "Communes: 0 created, 0 updated, 3321 unchanged" in output
    assert before == {
        "provinces": dict(Province.objects.values_list("code", "updated_at")),
        "communes": dict(Commune.objects.values_list("code", "updated_at")),
    }


def test_load_geography_twice_leaves_the_counts_unchanged():
    _run_load_geography()
    _run_load_geography()
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_load_geography_restores_a_drifted_row_and_adds_a_missing_one_keeping_ids():
    hanoi = Province.objects.get(code="01")
    Province.objects.filter(pk=hanoi.pk).update(name="Hà Nội (sai)")
    removed = Commune.objects.get(code="00070")
    removed.delete()
    kept = Commune.objects.get(code="00004")

    output = _run_load_geography()

    assert "Provinces: 0 created, 1 updated, 33 unchanged" in output
    assert "Communes: 1 created, 0 updated, 3320 unchanged" in output
    hanoi.refresh_from_db()
    assert hanoi.name == "Thành phố Hà Nội"
    assert Commune.objects.get(code="00070").province_id == hanoi.pk
    # Matching by code keeps primary keys, so records pointing at communes stay linked.
    assert Commune.objects.get(code="00004").pk == kept.pk
    assert Commune.objects.count() == 3321
    assert AuditEvent.objects.filter(action="import", object_type="geo.province").count() == 1
    assert AuditEvent.objects.filter(action="import", object_type="geo.commune").count() == 1


def test_load_geography_keeps_a_row_the_package_does_not_list():
    Commune.objects.create(
        code="99999",
        name="Xã Cũ",
        codename="xa_cu",
        division_type="xã",
        province=Province.objects.get(code="01"),
    )
    output = _run_load_geography()
    assert (
        "Communes: 0 created, 0 updated, 3321 unchanged, 1 in the database but not in the package" in output
    )
    assert Commune.objects.filter(code="99999").exists()
