"""Trafficking details in HTCDS value sets, and the places of recruitment, transit and exploitation."""

import datetime
import json

import pytest
from django.utils import timezone
from django.utils.translation import override

from shield.audit.models import AuditEvent
from shield.cases import selectors, services, value_sets
from shield.cases.models import TraffickingDetails, TraffickingPlace
from shield.cases.tests import factories as f
from shield.core.errors import StaleVersion, ValidationFailed, VersionRequired
from shield.geo.models import Commune, Province

pytestmark = pytest.mark.django_db


def test_the_value_sets_come_from_htcds_with_their_licence_and_zalo_added():
    document = json.loads(value_sets.DATA.read_text(encoding="utf-8"))
    assert "CC BY 4.0" in document["licence"]
    assert "HTCDS" in document["source"]
    assert "Zalo" in value_sets.values(value_sets.WEBSITES_AND_APPS)
    assert "Facebook" in value_sets.values(value_sets.WEBSITES_AND_APPS)
    assert value_sets.values(value_sets.TRAFFICKING_STATUS) == (
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    )
    assert "DebtBondage" in value_sets.values(value_sets.METHODS_OF_CONTROL)
    assert value_sets.is_multiple(value_sets.FORMS_OF_EXPLOITATION)
    assert not value_sets.is_multiple(value_sets.RELATIONSHIP_TO_TRAFFICKER)
    assert value_sets.decision_org_for_agency_kind("police_provincial") == "Police"
    assert value_sets.trafficking_status_for("identified") == "ActualVictimOfTrafficking"


def test_labels_follow_the_active_language():
    choices = dict(value_sets.choices(value_sets.FORMS_OF_EXPLOITATION))
    with override("en"):
        assert str(choices["ForcedLabour"]) == "Forced labour"
    with override("vi"):
        assert str(choices["ForcedLabour"]) == "Lao động cưỡng bức"


def test_details_are_set_as_json_lists_of_standard_values():
    team = f.team()
    case = f.open_case(actor=team.worker)
    details = services.trafficking_details_set(
        actor=team.worker,
        case=case,
        expected_version=0,
        forms_of_exploitation=["SexualExploitation", "ForcedMarriage", "SexualExploitation"],
        methods_of_control=["WithholdsDocuments", "DebtBondage"],
        recruitment_methods=["ThroughOnlineSocialNetworks"],
        recruitment_websites_and_apps=["Zalo", "Facebook"],
        relationship_to_trafficker="Acquainted",
        duration_days=95,
    )
    details.refresh_from_db()
    assert details.forms_of_exploitation == ["SexualExploitation", "ForcedMarriage"]
    assert details.recruitment_websites_and_apps == ["Zalo", "Facebook"]
    assert (details.version, details.duration_days) == (1, 95)


def test_values_outside_the_standard_are_refused_field_by_field():
    team = f.team()
    case = f.open_case(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        services.trafficking_details_set(
            actor=team.worker,
            case=case,
            expected_version=0,
            forms_of_exploitation=["ForcedLabour", "Scamming"],
            recruitment_websites_and_apps=["MySpace"],
            relationship_to_trafficker="Cousin",
            duration_days=-1,
        )
    errors = refused.value.field_errors
    assert set(errors) == {
        "forms_of_exploitation",
        "recruitment_websites_and_apps",
        "relationship_to_trafficker",
        "duration_days",
    }
    assert "Scamming" in errors["forms_of_exploitation"][0]
    assert not TraffickingDetails.objects.exists()


def test_editing_details_needs_the_version_read_and_audits_changed_names():
    team = f.team()
    case = f.open_case(actor=team.worker)
    services.trafficking_details_set(
        actor=team.worker, case=case, expected_version=0, forms_of_exploitation=["ForcedLabour"]
    )
    with pytest.raises(VersionRequired):
        services.trafficking_details_set(actor=team.worker, case=case, expected_version=None)
    updated = services.trafficking_details_set(
        actor=team.supervisor,
        case=case,
        expected_version=1,
        forms_of_exploitation=["ForcedLabour"],
        duration_days=30,
    )
    assert updated.version == 2
    with pytest.raises(StaleVersion):
        services.trafficking_details_set(actor=team.worker, case=case, expected_version=1, duration_days=31)
    updated.refresh_from_db()
    assert updated.duration_days == 30
    event = AuditEvent.objects.filter(object_id=str(updated.pk), action="update").get()
    assert event.changed_fields == ["duration_days"]


def test_a_place_in_viet_nam_names_province_and_commune_and_a_commune_brings_its_province():
    team = f.team()
    case = f.open_case(actor=team.worker)
    commune = Commune.objects.select_related("province").first()
    place = services.trafficking_place_add(
        actor=team.worker,
        case=case,
        kind="recruitment",
        country="vn",
        commune=commune,
        date_from=datetime.date(2025, 3, 1),
        date_to=datetime.date(2025, 3, 20),
    )
    assert (place.country.code, place.province, place.commune) == ("VN", commune.province, commune)
    abroad = services.trafficking_place_add(actor=team.worker, case=case, kind="exploitation", country="KH")
    assert abroad.province is None


def test_a_place_abroad_has_no_province_and_a_commune_must_be_in_its_province():
    team = f.team()
    case = f.open_case(actor=team.worker)
    commune = Commune.objects.first()
    other_province = Province.objects.exclude(pk=commune.province_id).first()
    with pytest.raises(ValidationFailed) as refused:
        services.trafficking_place_add(
            actor=team.worker, case=case, kind="transit", country="CN", province=other_province
        )
    assert "province" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        services.trafficking_place_add(
            actor=team.worker,
            case=case,
            kind="transit",
            country="VN",
            province=other_province,
            commune=commune,
        )
    assert "commune" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        services.trafficking_place_add(
            actor=team.worker,
            case=case,
            kind="transit",
            country="VN",
            date_from=datetime.date(2025, 5, 2),
            date_to=datetime.date(2025, 5, 1),
        )
    assert "date_to" in refused.value.field_errors
    assert not TraffickingPlace.objects.exists()


def test_a_place_recorded_in_error_is_removed_with_a_reason_and_kept():
    team = f.team()
    case = f.open_case(actor=team.worker)
    place = services.trafficking_place_add(actor=team.worker, case=case, kind="transit", country="LA")
    with pytest.raises(ValidationFailed):
        services.trafficking_place_remove(actor=team.worker, place=place, reason="")
    services.trafficking_place_remove(actor=team.worker, place=place, reason="Was Cambodia, recorded again")
    assert TraffickingPlace.objects.filter(pk=place.pk, removed_at__isnull=False).exists()
    assert not selectors.trafficking_places_for(user=team.worker, case=case).exists()
    assert selectors.trafficking_places_for(user=team.worker, case=case, include_removed=True).count() == 1


def test_future_dates_are_refused():
    team = f.team()
    with pytest.raises(ValidationFailed):
        services.trafficking_place_add(
            actor=team.worker,
            case=f.open_case(actor=team.worker),
            kind="exploitation",
            country="MY",
            date_from=timezone.localdate() + datetime.timedelta(days=2),
        )
