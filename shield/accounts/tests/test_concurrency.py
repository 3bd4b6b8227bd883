import pytest

from shield.accounts.tests.factories import AgencyFactory
from shield.core.concurrency import save_versioned
from shield.core.errors import StaleVersion, VersionRequired

pytestmark = pytest.mark.django_db


def test_write_with_current_version_bumps_it():
    agency = AgencyFactory(name_en="Before")
    agency.name_en = "After"
    save_versioned(agency, expected_version=1, fields=["name_en"])
    agency.refresh_from_db()
    assert (agency.name_en, agency.version) == ("After", 2)


def test_second_editor_with_stale_version_is_refused_and_first_edit_survives():
    agency = AgencyFactory(name_en="Original")
    first = type(agency).objects.get(pk=agency.pk)
    second = type(agency).objects.get(pk=agency.pk)
    first.name_en = "First editor"
    save_versioned(first, expected_version=first.version, fields=["name_en"])
    second.name_en = "Second editor"
    with pytest.raises(StaleVersion) as refused:
        save_versioned(second, expected_version=second.version, fields=["name_en"])
    assert "Someone else changed this record" in refused.value.message
    agency.refresh_from_db()
    assert (agency.name_en, agency.version) == ("First editor", 2)


def test_write_naming_no_version_is_refused():
    agency = AgencyFactory(name_en="Kept")
    agency.name_en = "Blind overwrite"
    with pytest.raises(VersionRequired):
        save_versioned(agency, expected_version=None, fields=["name_en"])
    agency.refresh_from_db()
    assert agency.name_en == "Kept"
