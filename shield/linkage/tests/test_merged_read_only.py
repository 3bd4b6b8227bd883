"""A person merged into another is read-only: every write is refused with a message naming the kept
record, through the services, the web pages and the API; an unmerge makes them writable again."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.cases import services as case_services
from shield.cases.models import Case
from shield.intake import services as intake_services
from shield.intake.tests import factories as intake
from shield.linkage import services
from shield.linkage.models import Decision
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor
from shield.people import services as people_services
from shield.people.merged import PersonMergedAway
from shield.people.models import Alias

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    """(worker, survivor, merged away, merge): both records in the worker's agency."""
    agency = home_agency("spc-merge", "01")
    worker = member(Role.CASE_WORKER, agency=agency, username="cw.merge")
    reviewer = supervisor(agency, username="sup.merge")
    kept = registered("Nguyễn Thị Hoa", agency=agency, number="001195012345")
    gone = registered("NGUYEN HOA", agency=agency)
    pair = review_pair(kept, gone)
    services.pair_decide(
        actor=reviewer, pair=pair, decision=Decision.SAME, reason="Same CCCD", expected_version=1
    )
    merge = services.person_merge(
        actor=reviewer, survivor=kept, merged=gone, reason="Same CCCD", review_pair=pair
    )
    gone.refresh_from_db()
    return worker, kept, gone, merge


def assert_names_survivor(refusal, kept):
    assert refusal.value.survivor_id == kept.pk
    assert str(kept.pk) in refusal.value.message
    assert "merged into another record" in refusal.value.message


def test_every_people_write_to_a_merged_person_is_refused_naming_the_survivor(merged):
    worker, kept, gone, _merge = merged
    writes = [
        lambda: people_services.person_update(
            actor=worker, person=gone, expected_version=gone.version, full_name="Nguyễn Thị Hoà"
        ),
        lambda: people_services.document_add(actor=worker, person=gone, kind="passport", number="C7654321"),
        lambda: people_services.alias_add(actor=worker, person=gone, name="Bé Hoa"),
        lambda: people_services.relationship_add(
            actor=worker, person=gone, kind="parent", related_name="Nguyễn Văn Ba"
        ),
        lambda: people_services.relationship_add(
            actor=worker, person=kept, kind="sibling", related_person=gone
        ),
    ]
    for write in writes:
        with pytest.raises(PersonMergedAway) as refusal:
            write()
        assert_names_survivor(refusal, kept)
    gone.refresh_from_db()
    assert gone.full_name == "NGUYEN HOA"
    # The survivor itself stays writable.
    people_services.alias_add(actor=worker, person=kept, name="Bé Hoa")


def test_no_case_is_opened_for_a_merged_person(merged):
    worker, kept, gone, _merge = merged
    with pytest.raises(PersonMergedAway) as refusal:
        case_services.case_open(
            actor=worker, person=gone, case_type="trafficking_victim", owner_agency=worker.primary_agency
        )
    assert_names_survivor(refusal, kept)
    assert not Case.objects.filter(person=gone).exists()


def test_a_tip_cannot_open_a_case_for_a_merged_person(merged):
    worker, _kept, gone, _merge = merged
    tip = intake.tip(worker)
    with pytest.raises(PersonMergedAway):
        intake_services.tip_open_case(
            actor=worker,
            tip=tip,
            expected_version=tip.version,
            receiving_agency=worker.primary_agency,
            person=gone,
        )
    assert not Case.objects.filter(person=gone).exists()


def test_an_unmerged_person_is_writable_again(merged):
    worker, _kept, gone, merge = merged
    reviewer = merge.merged_by
    services.person_unmerge(actor=reviewer, merge=merge, reason="Two sisters after all")
    people_services.alias_add(actor=worker, person=gone, name="Bé Hoa")
    assert Alias.objects.filter(person=gone, name="Bé Hoa").exists()


def test_the_merged_persons_page_hides_edit_and_new_case_and_links_to_the_survivor(client, merged):
    worker, kept, gone, _merge = merged
    client.force_login(worker)
    page = client.get(reverse("people:person_detail", args=[gone.pk])).content.decode()
    assert reverse("people:person_detail", args=[kept.pk]) in page
    assert 'data-testid="edit-person"' not in page
    assert 'data-testid="open-case"' not in page
    survivor_page = client.get(reverse("people:person_detail", args=[kept.pk])).content.decode()
    assert 'data-testid="edit-person"' in survivor_page
    assert 'data-testid="open-case"' in survivor_page


def test_the_web_forms_show_the_refusal_as_a_form_error(client, merged):
    worker, kept, gone, _merge = merged
    client.force_login(worker)
    response = client.post(
        reverse("people:alias_add", args=[gone.pk]), {"name": "Bé Hoa", "kind": "nickname"}
    )
    assert response.status_code == 200
    assert str(kept.pk) in response.content.decode()
    assert not Alias.objects.filter(name="Bé Hoa").exists()
    response = client.post(
        reverse("cases:case_create"),
        {
            "person": gone.pk,
            "case_type": "trafficking_victim",
            "owner_agency": worker.primary_agency.pk,
            "risk_level": "medium",
            "assigned_worker": worker.pk,
            "reported_at": (datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 200
    assert str(kept.pk) in response.content.decode()
    assert not Case.objects.filter(person=gone).exists()


def test_the_api_answers_409_naming_the_survivor(merged):
    worker, kept, gone, _merge = merged
    api = APIClient()
    api.force_authenticate(worker)
    response = api.patch(
        f"/api/v1/persons/{gone.pk}/", {"full_name": "Nguyễn Thị Hoà", "version": gone.version}, format="json"
    )
    assert response.status_code == 409, response.content
    assert str(kept.pk) in response.json()["detail"]
    response = api.post(f"/api/v1/persons/{gone.pk}/aliases/", {"name": "Bé Hoa"}, format="json")
    assert response.status_code == 409, response.content
    response = api.post(
        "/api/v1/cases/", {"person": str(gone.pk), "case_type": "trafficking_victim"}, format="json"
    )
    assert response.status_code == 409, response.content
    assert str(kept.pk) in response.json()["detail"]
    gone.refresh_from_db()
    assert gone.full_name == "NGUYEN HOA"
    assert not Case.objects.filter(person=gone).exists()
