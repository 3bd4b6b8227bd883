"""The justice API for the workers of a linked protection case: a proceeding's steps and hearing
dates (`/api/v1/justice/proceedings/<id>/timeline/`) and a case's proceedings
(`/api/v1/justice/cases/<case>/proceedings/`), by the page's access rule, audited, in the matrix."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.cases.tests import factories as case_factories
from shield.justice.models import Party, PartyRole, Proceeding, ProceedingStep, StepKind
from shield.justice.proceedings import services
from shield.justice.tests import proceedings_factories as pf

pytestmark = pytest.mark.django_db

CHILD = "Trần Thị Lan"
ADULT = "Lê Văn Tám"
NOTE = "Lời khai bí mật của nhân chứng"
SUMMARY = "Tóm tắt vụ án"
snapshot = db_snapshot(Proceeding, ProceedingStep, Party)


@pytest.fixture
def world():
    police = pf.desk(province=province("01"))
    proceeding = pf.open_proceeding(at=police, summary=SUMMARY)
    case = case_factories.open_case(agency=AgencyFactory.create(province=province("01")))
    worker = case.created_by
    pf.party(proceeding, role=PartyRole.ACCUSED, full_name=ADULT, birth_date=datetime.date(1980, 5, 5))
    victim = pf.party(proceeding, role=PartyRole.VICTIM, full_name=CHILD)
    services.step_record(
        actor=police.officer,
        proceeding=proceeding,
        expected_version=proceeding.version,
        kind=StepKind.FIRST_INSTANCE_TRIAL,
        scheduled_for=timezone.now() + datetime.timedelta(days=5),
        note=NOTE,
    )
    victim.protection_case = case  # the link grants the restricted view
    victim.save(update_fields=["protection_case"])
    actors = Actors(
        permitted=worker,
        no_permission=member(Role.CASE_WORKER, agency=AgencyFactory.create(province=province("01"))),
        other_agency=pf.desk(province=province("79")).officer,
    )
    return actors, proceeding, case, police


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_matrix(world):
    actors, proceeding, case, _police = world
    ref = proceeding.reference
    for url in (
        f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/",
        f"/api/v1/justice/cases/{case.pk}/proceedings/",
    ):
        statuses = assert_matrix(Endpoint("GET", url, api=True), actors, secrets=[ref], snapshot=snapshot)
        assert statuses["other_agency"] == 404
        assert statuses["no_permission"] == 404
        assert statuses["anonymous"] in {401, 403}


def test_a_linked_case_worker_reads_steps_and_hearings_only(world):
    actors, proceeding, _case, _police = world
    worker = actors.permitted
    response = _get(worker, f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/")
    assert response.status_code == 200
    data = response.json()
    assert data["view"] == "restricted"
    assert data["reference"] == proceeding.reference
    kinds = [step["kind"] for step in data["steps"]]
    assert sorted(kinds) == ["first_instance_trial", "report_received"]
    assert data["next_hearing"] is not None
    assert set(data["steps"][0]) == {"kind", "kind_label", "occurred_on", "scheduled_for"}
    body = response.content.decode()
    for secret in (CHILD, ADULT, NOTE, SUMMARY, "BLHS-150", "parties", "summary"):
        assert secret not in body
    event = AuditEvent.objects.filter(object_id=str(proceeding.pk), action="view", actor=worker).latest(
        "sequence"
    )
    assert event.details["view"] == "restricted"
    # The full API stays closed to them (no justice.view).
    assert _get(worker, f"/api/v1/justice/proceedings/{proceeding.pk}/").status_code == 403
    assert _get(worker, f"/api/v1/justice/proceedings/{proceeding.pk}/steps/").status_code == 403


def test_the_case_list_gives_each_linked_proceeding_audited(world):
    actors, proceeding, case, _police = world
    worker = actors.permitted
    before = AuditEvent.objects.filter(object_id=str(proceeding.pk), action="view").count()
    data = _get(worker, f"/api/v1/justice/cases/{case.pk}/proceedings/").json()
    assert [p["reference"] for p in data["results"]] == [proceeding.reference]
    assert data["truncated"] is False
    assert data["results"][0]["view"] == "restricted"
    assert AuditEvent.objects.filter(object_id=str(proceeding.pk), action="view").count() == before + 1
    # A case not linked: an empty list, not an error.
    other = case_factories.open_case(actor=worker, agency=case.owner_agency)
    assert _get(worker, f"/api/v1/justice/cases/{other.pk}/proceedings/").json()["results"] == []


def test_a_justice_officer_who_sees_it_gets_the_full_view_mark(world):
    _actors, proceeding, _case, police = world
    data = _get(police.officer, f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/").json()
    assert data["view"] == "full"
    assert NOTE not in str(data)  # the timeline never carries notes, whoever reads it


def test_unlinking_closes_it(world):
    actors, proceeding, _case, _police = world
    Party.objects.filter(proceeding=proceeding, protection_case__isnull=False).update(protection_case=None)
    assert _get(actors.permitted, f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/").status_code == 404


def test_the_timeline_query_count_does_not_grow_with_steps(world, django_assert_max_num_queries):
    actors, proceeding, _case, police = world
    for _ in range(8):
        proceeding.refresh_from_db()
        services.step_record(
            actor=police.officer,
            proceeding=proceeding,
            expected_version=proceeding.version,
            kind=StepKind.FIRST_INSTANCE_TRIAL,
            scheduled_for=timezone.now() + datetime.timedelta(days=9),
        )
    client = Client()
    client.force_login(actors.permitted)
    client.get(f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/")
    with django_assert_max_num_queries(16):
        response = client.get(f"/api/v1/justice/proceedings/{proceeding.pk}/timeline/")
    assert len(response.json()["steps"]) == 10
