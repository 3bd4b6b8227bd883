"""Every intake endpoint, page and API, tried as anonymous, another agency, a role without the
permission and the permitted user: refused ones leak nothing and change nothing."""

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.cases.models import Case
from shield.intake import services
from shield.intake.models import ReferralNotice, Screening, ScreeningGroup, ScreeningInstrument, Tip
from shield.intake.tests.factories import draft, gate_post, tip
from shield.people.models import Person

pytestmark = pytest.mark.django_db

SNAPSHOT = db_snapshot(Screening, ScreeningGroup, ScreeningInstrument, Tip, ReferralNotice, Case, Person)


@pytest.fixture
def world():
    gate = gate_post("lao-cai")
    other = gate_post("mong-cai")
    # A role at the same post without intake permissions (an agency administrator).
    no_permission = member(Role.AGENCY_ADMIN, agency=gate.agency)
    screening = draft(gate.officer, traveller_name="Secret Traveller Name", answers={"documents_held": True})
    triager = member(Role.CASE_WORKER, agency=gate.receiver)
    recorded = tip(triager, description="Secret tip description")
    other_triager = member(Role.CASE_WORKER, agency=other.receiver)
    return {
        "gate": gate,
        "screen": Actors(permitted=gate.officer, no_permission=no_permission, other_agency=other.officer),
        "triage": Actors(
            permitted=triager,
            no_permission=member(Role.AGENCY_ADMIN, agency=gate.receiver),
            other_agency=other_triager,
        ),
        "screening": screening,
        "tip": recorded,
    }


def test_screening_pages(world):
    s = world["screening"]
    actors = world["screen"]
    secrets = ["Secret Traveller Name"]
    assert_matrix(
        Endpoint("GET", reverse("intake:screening_detail", args=[s.pk])),
        actors,
        secrets=secrets,
        snapshot=SNAPSHOT,
    )
    for name in ("screening_autosave", "screening_companion"):
        assert_matrix(
            Endpoint(
                "POST",
                reverse(f"intake:{name}", args=[s.pk]),
                data={"version": s.version, "direction": "entry"},
                permitted_status={200, 302},
            ),
            actors,
            snapshot=SNAPSHOT,
        )
    s.refresh_from_db()
    assert_matrix(
        Endpoint("GET", reverse("intake:screening_discard", args=[s.pk])), actors, snapshot=SNAPSHOT
    )
    assert_matrix(
        Endpoint(
            "POST",
            reverse("intake:screening_complete", args=[s.pk]),
            data={
                "version": s.version,
                "direction": "exit",
                "traveller_name": "Secret Traveller Name",
                "outcome": "referred",
                "receiving_agency": str(world["gate"].receiver.pk),
            },
            permitted_status={302},
        ),
        actors,
        snapshot=SNAPSHOT,
    )


def test_screening_list_and_start(world):
    actors = world["screen"]
    assert_matrix(
        Endpoint("GET", reverse("intake:screening_list"), scoped=True),
        actors,
        secrets=["Secret Traveller Name"],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "POST", reverse("intake:screening_new"), permitted_status={302}, also_allowed={"other_agency"}
        ),
        actors,
        snapshot=SNAPSHOT,
    )


def test_a_discard_is_refused_to_others(world):
    s = world["screening"]
    assert_matrix(
        Endpoint(
            "POST",
            reverse("intake:screening_discard", args=[s.pk]),
            data={"version": s.version},
            permitted_status={302},
        ),
        world["screen"],
        snapshot=SNAPSHOT,
    )


def test_instrument_pages(world):
    instrument = ScreeningInstrument.objects.get()
    actors = world["screen"]
    for url in (reverse("intake:instrument_list"), reverse("intake:instrument_detail", args=[instrument.pk])):
        assert_matrix(Endpoint("GET", url, also_allowed={"other_agency"}), actors, snapshot=SNAPSHOT)
    admin = member(Role.SYSTEM_ADMIN)
    assert_matrix(
        Endpoint("GET", reverse("intake:instrument_publish")),
        Actors(permitted=admin, no_permission=world["gate"].officer),
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint("POST", reverse("intake:instrument_publish"), permitted_status={400}),
        Actors(permitted=admin, no_permission=world["gate"].officer),
        snapshot=SNAPSHOT,
    )


def test_tip_pages(world):
    t = world["tip"]
    actors = world["triage"]
    secrets = ["Secret tip description"]
    assert_matrix(
        Endpoint("GET", reverse("intake:tip_detail", args=[t.pk])), actors, secrets=secrets, snapshot=SNAPSHOT
    )
    assert_matrix(
        Endpoint("GET", reverse("intake:tip_list"), scoped=True),
        actors,
        secrets=[t.reference],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint("GET", reverse("intake:tip_create"), also_allowed={"other_agency"}),
        actors,
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "GET", reverse("intake:commune_options"), data={"province": "01"}, also_allowed={"other_agency"}
        ),
        actors,
        snapshot=SNAPSHOT,
    )
    gate = world["gate"]
    for name, data in (
        ("tip_close", {"version": 1, "reason": "x", "confirmed": "on"}),
        ("tip_assign", {"version": 1, "agency": str(gate.agency.pk)}),
        (
            "tip_open_case",
            {"version": 1, "receiving_agency": str(gate.receiver.pk), "full_name": "N", "sex": "unknown"},
        ),
        ("tip_link", {"version": 1, "case_reference": "nothing"}),
    ):
        assert_matrix(
            Endpoint("POST", reverse(f"intake:{name}", args=[t.pk]), data=data, permitted_status={302, 400}),
            actors,
            snapshot=SNAPSHOT,
        )
        t.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            reverse("intake:tip_create"),
            data={
                "channel": "hotline",
                "received_at": "01/01/2026 10:00",
                "urgency": "routine",
                "description": "d",
                "country": "VN",
            },
            permitted_status={302},
            also_allowed={"other_agency"},
        ),
        actors,
        snapshot=SNAPSHOT,
    )


def test_notice_acknowledge(world):
    gate = world["gate"]
    s = world["screening"]
    services.screening_complete(
        actor=gate.officer,
        screening=s,
        expected_version=s.version,
        outcome="referred",
        receiving_agency=gate.receiver,
    )
    notice = ReferralNotice.objects.get()
    other_worker = member(Role.CASE_WORKER)
    assert_matrix(
        Endpoint("POST", reverse("intake:notice_acknowledge", args=[notice.pk]), permitted_status={302}),
        Actors(
            permitted=gate.case_worker, no_permission=world["triage"].no_permission, other_agency=other_worker
        ),
        snapshot=SNAPSHOT,
    )


def test_api_endpoints(world):
    s = world["screening"]
    t = world["tip"]
    instrument = ScreeningInstrument.objects.get()
    screen, triage = world["screen"], world["triage"]
    assert_matrix(
        Endpoint("GET", "/api/v1/screenings/", api=True, scoped=True),
        screen,
        secrets=["Secret Traveller Name"],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint("GET", f"/api/v1/screenings/{s.pk}/", api=True),
        screen,
        secrets=["Secret Traveller Name"],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "PATCH", f"/api/v1/screenings/{s.pk}/", data={"version": s.version, "recruiter": "R"}, api=True
        ),
        screen,
        snapshot=SNAPSHOT,
    )
    s.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/screenings/{s.pk}/complete/",
            data={
                "version": s.version,
                "outcome": "referred",
                "receiving_agency": str(world["gate"].receiver.pk),
            },
            api=True,
        ),
        screen,
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "POST", "/api/v1/screenings/", api=True, permitted_status={201}, also_allowed={"other_agency"}
        ),
        screen,
        snapshot=SNAPSHOT,
    )
    for url in ("/api/v1/screening-instruments/", f"/api/v1/screening-instruments/{instrument.pk}/"):
        assert_matrix(
            Endpoint("GET", url, api=True, also_allowed={"other_agency"}), screen, snapshot=SNAPSHOT
        )
    assert_matrix(
        Endpoint("GET", "/api/v1/tips/", api=True, scoped=True),
        triage,
        secrets=[t.reference],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint("GET", f"/api/v1/tips/{t.pk}/", api=True),
        triage,
        secrets=["Secret tip description"],
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/tips/{t.pk}/triage/",
            data={"version": 1, "action": "close", "reason": "dup"},
            api=True,
        ),
        triage,
        snapshot=SNAPSHOT,
    )
    assert_matrix(
        Endpoint(
            "POST",
            "/api/v1/tips/",
            data={"channel": "hotline", "description": "d"},
            api=True,
            permitted_status={201},
            also_allowed={"other_agency"},
        ),
        triage,
        snapshot=SNAPSHOT,
    )
