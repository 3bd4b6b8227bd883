"""Instrument versions: loaded from the data file, published as new versions, never changed."""

import copy
import io
import json

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.core.errors import PermissionRefused, ValidationFailed
from shield.intake import instruments, selectors, services
from shield.intake.models import ImmutableError, ScreeningInstrument
from shield.intake.tests.factories import draft, gate_post

pytestmark = pytest.mark.django_db


def second_version() -> dict:
    definition = copy.deepcopy(instruments.read_file(instruments.FIRST_INSTRUMENT))
    definition["sections"][0]["indicators"][0]["label"] = {
        "vi": "Lừa dối (v2)",
        "en": "Deceived about the job (v2)",
    }
    return definition


def test_the_first_instrument_is_loaded_from_the_data_file():
    first = ScreeningInstrument.objects.get(code="border-gate", version=1)
    assert first.definition == instruments.read_file(instruments.FIRST_INSTRUMENT)
    codes = {i.code for i in first.parsed.indicators()}
    assert {
        "job_deception",
        "documents_held",
        "recruiter_debt",
        "movement_controlled",
        "companion_answers",
    } <= codes
    assert {
        "online_offer",
        "scam_destination",
        "inconsistent_story",
        "injury_fear",
        "unaccompanied_child",
    } <= codes


def test_a_published_version_cannot_be_changed_or_deleted():
    first = ScreeningInstrument.objects.get(version=1)
    first.title_en = "changed"
    with pytest.raises(ImmutableError):
        first.save()
    with pytest.raises(ImmutableError):
        ScreeningInstrument.objects.filter(pk=first.pk).update(title_en="changed")
    with pytest.raises(ImmutableError):
        first.delete()


def test_an_administrator_publishes_the_next_version_and_old_screenings_keep_theirs(client):
    gate = gate_post()
    old = draft(gate.officer, answers={"job_deception": True})
    admin = member(Role.SYSTEM_ADMIN)
    v2 = services.instrument_publish(actor=admin, definition=second_version(), source="v2.json")
    assert v2.version == 2
    assert selectors.instrument_current() == v2
    new = services.screening_start(actor=gate.officer)
    assert new.instrument == v2
    old.refresh_from_db()
    assert old.instrument.version == 1
    client.force_login(gate.officer)
    page = client.get(reverse("intake:screening_detail", args=[old.pk])).content.decode()
    assert "Deceived about the job or the pay" in page
    assert "(v2)" not in page
    assert (
        "Deceived about the job (v2)"
        in client.get(reverse("intake:screening_detail", args=[new.pk])).content.decode()
    )


def test_a_broken_definition_is_not_published():
    admin = member(Role.SYSTEM_ADMIN)
    broken = second_version()
    del broken["sections"][0]["indicators"][0]["label"]["en"]
    with pytest.raises(ValidationFailed) as caught:
        services.instrument_publish(actor=admin, definition=broken)
    assert caught.value.field_errors["definition"]
    assert ScreeningInstrument.objects.count() == 1


def test_only_holders_of_the_permission_publish():
    officer = member(Role.FRONTLINE_OFFICER)
    with pytest.raises(PermissionRefused):
        services.instrument_publish(actor=officer, definition=second_version())


def test_publishing_through_the_page(client):
    admin = member(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    upload = io.BytesIO(json.dumps(second_version()).encode("utf-8"))
    upload.name = "border-gate-v2.json"
    response = client.post(reverse("intake:instrument_publish"), {"file": upload})
    assert response.status_code == 302
    assert ScreeningInstrument.objects.filter(version=2, published_by=admin).exists()
    bad = io.BytesIO(b"{not json")
    bad.name = "bad.json"
    response = client.post(reverse("intake:instrument_publish"), {"file": bad})
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
