"""Every proceedings page and API endpoint through the four-actor permission matrix."""

import pytest
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.justice.models import (
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyRole,
    Proceeding,
    ProceedingHolding,
    ProceedingStep,
)
from shield.justice.tests import proceedings_factories as pf

pytestmark = pytest.mark.django_db

CHILD = "Trần Thị Lan"
snapshot = db_snapshot(Proceeding, ProceedingStep, ProceedingHolding, JusticeAssignment, Party)


@pytest.fixture
def world():
    police = pf.desk(province=province("01"))
    procuracy = pf.desk(HoldingRole.PROCURACY, province=province("01"))
    proceeding = pf.open_proceeding(at=police)
    party = pf.party(proceeding, role=PartyRole.ACCUSED, full_name=CHILD)
    far = pf.desk(province=province("79"))
    actors = Actors(
        permitted=police.officer,
        no_permission=member(Role.CASE_WORKER, agency=police.agency),
        other_agency=far.officer,
    )
    return actors, proceeding, party, procuracy


def test_pages(world):
    actors, proceeding, party, procuracy = world
    p = f"/justice/proceedings/{proceeding.pk}"
    ref = proceeding.reference
    assert_matrix(Endpoint("GET", "/justice/", scoped=True), actors, secrets=[ref], snapshot=snapshot)
    assert_matrix(Endpoint("GET", "/justice/worklist/", scoped=True), actors, snapshot=snapshot)
    assert_matrix(Endpoint("GET", f"{p}/"), actors, secrets=[ref, CHILD], snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", "/justice/proceedings/new/", also_allowed={"other_agency"}), actors, snapshot=snapshot
    )
    today = timezone.localdate().isoformat()
    writes = [
        (f"{p}/steps/", {"version": 1, "kind": "case_instituted", "occurred_on": today}),
        (f"{p}/parties/{party.pk}/outcome/", {"version": 1, "outcome": "charged", "outcome_on": today}),
        (f"{p}/assignments/", {"officer": str(actors.permitted.pk)}),
        (f"{p}/parties/", {"person": str(party.person_id), "role": "witness", "event_on": today}),
        (f"{p}/parties/{party.pk}/case/", {"version": 1, "case_reference": ""}),
    ]
    for url, data in writes:
        statuses = assert_matrix(
            Endpoint("POST", url, data=data, permitted_status={302, 400}), actors, snapshot=snapshot
        )
        assert statuses["other_agency"] == 404
    assignment = JusticeAssignment.objects.get(proceeding=proceeding)
    assert_matrix(
        Endpoint(
            "POST",
            f"{p}/hand-over/",
            data={
                "version": 2,
                "to_agency": str(procuracy.agency.pk),
                "to_role": "procuracy",
                "confirm": "on",
            },
            permitted_status={302},
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST", f"{p}/assignments/{assignment.pk}/end/", data={"confirm": "on"}, permitted_status={302}
        ),
        actors,
        snapshot=snapshot,
    )


def test_api(world):
    actors, proceeding, party, procuracy = world
    base = f"/api/v1/justice/proceedings/{proceeding.pk}"
    ref = proceeding.reference
    assert_matrix(
        Endpoint("GET", "/api/v1/justice/proceedings/", api=True, scoped=True),
        actors,
        secrets=[ref],
        snapshot=snapshot,
    )
    assert_matrix(Endpoint("GET", f"{base}/", api=True), actors, secrets=[ref], snapshot=snapshot)
    for route in ("steps", "holdings", "assignments"):
        assert_matrix(Endpoint("GET", f"{base}/{route}/", api=True), actors, snapshot=snapshot)
    assert_matrix(Endpoint("GET", f"{base}/parties/", api=True), actors, secrets=[CHILD], snapshot=snapshot)
    assert_matrix(
        Endpoint("GET", f"{base}/parties/{party.pk}/", api=True), actors, secrets=[CHILD], snapshot=snapshot
    )
    today = timezone.localdate().isoformat()
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}/steps/",
            data={"kind": "case_instituted", "occurred_on": today, "version": 1},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "PATCH",
            f"{base}/parties/{party.pk}/",
            data={"outcome": "charged", "outcome_on": today, "version": 1},
            api=True,
            permitted_status={200},
        ),
        actors,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}/holdings/",
            data={"to_agency": str(procuracy.agency.pk), "to_role": "procuracy", "version": 2},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    other = pf.desk(agency=AgencyFactory.create(province=province("01")))
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}/assignments/",
            data={"officer": other.officer.username},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
