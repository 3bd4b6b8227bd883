"""Merging two records of one person and undoing it: everything moves, everything comes back."""

import datetime

import pytest
from django.apps import apps
from django.forms.models import model_to_dict

from shield.audit.models import AuditEvent
from shield.core.errors import InvalidTransition
from shield.linkage import services
from shield.linkage.models import Decision, PairStatus, PersonMerge
from shield.linkage.services.merges import _person_foreign_keys
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor
from shield.people import services as people_services
from shield.people.models import IdentityDocument, Person, PersonNameToken
from shield.people.tests import factories as people

pytestmark = pytest.mark.django_db


def everything_about(*persons):
    """Every row of every model pointing at a person, as plain values (the version left out:
    moves bump it on purpose), plus the search keys."""
    rows = {}
    for field in _person_foreign_keys():
        model = field.model
        for row in model._base_manager.filter(**{f"{field.name}__in": persons}).order_by("pk"):
            values = model_to_dict(row)
            values.pop("version", None)
            rows[(model._meta.label, str(row.pk), field.name)] = values
    keys = sorted(
        PersonNameToken.objects.filter(person__in=persons).values_list("person_id", "token", "birth_year")
    )
    return rows, keys


@pytest.fixture
def pair_confirmed():
    police, shelter = home_agency("police-hn", "01"), home_agency("shelter-hcm", "79")
    reviewer = supervisor(police, scope="national", username="sup")
    a = registered("Nguyễn Thị Hoa", agency=police, number="001195012345")
    b = registered("NGUYEN HOA", agency=shelter, number="001195012345")
    people_services.alias_add(actor=b.registered_by, person=b, name="Bé Hoa")
    people.document(of=b, kind="passport", number="C1234567")
    people_services.relationship_add(actor=b.registered_by, person=b, kind="sibling", related_person=a)
    people_services.relationship_add(
        actor=b.registered_by, person=b, kind="parent", related_name="Nguyễn Văn Ba"
    )
    from shield.cases.tests import factories as cases

    case = cases.open_case(actor=b.registered_by, agency=shelter, person_=b)
    pair = review_pair(a, b)
    services.pair_decide(
        actor=reviewer, pair=pair, decision=Decision.SAME, reason="Same CCCD", expected_version=1
    )
    return reviewer, a, b, pair, case


def test_merge_moves_everything_and_unmerge_restores_it_exactly(pair_confirmed):
    reviewer, a, b, pair, _case = pair_confirmed
    before = everything_about(a, b)
    merge = services.person_merge(actor=reviewer, survivor=a, merged=b, reason="Same CCCD", review_pair=pair)

    assert not IdentityDocument.objects.filter(person=b).exists()
    # The duplicate CCCD moved but was set inactive; the passport moved active.
    assert IdentityDocument.objects.filter(person=a, is_active=True).count() == 2
    assert len(merge.deactivated_documents) == 1
    # The relationship between the two stays with b: moving it would relate a to herself.
    assert b.relationships.filter(related_person=a).exists()
    assert a.aliases.filter(name="Bé Hoa").exists()
    assert PersonNameToken.objects.filter(person=a, token="be").exists()  # found by the moved alias
    labels = {entry["model"] for entry in merge.moved}
    assert {"people.IdentityDocument", "people.Alias", "people.Relationship", "cases.Case"} <= labels

    services.person_unmerge(actor=reviewer, merge=merge, reason="Two sisters after all")
    assert everything_about(a, b) == before
    merge.refresh_from_db()
    assert merge.unmerged_by == reviewer
    assert merge.unmerged_at is not None


def test_merge_and_unmerge_are_audited_on_both_persons(pair_confirmed):
    reviewer, a, b, _pair, _case = pair_confirmed
    merge = services.person_merge(actor=reviewer, survivor=a, merged=b, reason="r")
    services.person_unmerge(actor=reviewer, merge=merge, reason="r")
    for person in (a, b):
        actions = list(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
        assert "merge" in actions
        assert "unmerge" in actions


def test_only_confirmed_pairs_merge(pair_confirmed):
    reviewer, a, _b, _pair, _case = pair_confirmed
    stranger = registered("Trần Văn Nam", agency=a.owner_agency, born=datetime.date(1970, 1, 1))
    with pytest.raises(InvalidTransition):
        services.person_merge(actor=reviewer, survivor=a, merged=stranger, reason="r")
    assert not PersonMerge.objects.exists()


def test_a_person_merged_away_cannot_be_merged_again(pair_confirmed):
    reviewer, a, b, _pair, _case = pair_confirmed
    services.person_merge(actor=reviewer, survivor=a, merged=b, reason="r")
    with pytest.raises(InvalidTransition):
        services.person_merge(actor=reviewer, survivor=a, merged=b, reason="r")


def test_the_merged_record_says_where_it_went(pair_confirmed, client):
    reviewer, a, b, _pair, _case = pair_confirmed
    services.person_merge(actor=reviewer, survivor=a, merged=b, reason="r")
    client.force_login(reviewer)
    body = client.get(f"/people/{b.pk}/").content.decode()
    assert 'data-testid="person-notice"' in body
    assert f"/people/{a.pk}/" in body


def test_merge_page_merges_and_unmerges(pair_confirmed, client):
    reviewer, a, b, pair, _case = pair_confirmed
    client.force_login(reviewer)
    response = client.post(f"/linkage/pairs/{pair.pk}/merge/", {"survivor": str(a.pk), "reason": "Same CCCD"})
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert merge.survivor == a
    assert merge.merged == b
    response = client.post(f"/linkage/pairs/{pair.pk}/merges/{merge.pk}/unmerge/", {"reason": "Mistake"})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert not merge.is_active


def test_every_foreign_key_to_person_is_moved_except_derived_and_linkage_ones():
    moved = {f"{f.model._meta.label}.{f.name}" for f in _person_foreign_keys()}
    expected = {
        f"{r.related_model._meta.label}.{r.field.name}"
        for r in Person._meta.related_objects
        if r.related_model is not PersonNameToken and r.related_model._meta.app_label != "linkage"
    }
    assert moved == expected
    assert "cases.Case.person" in moved
    assert apps.get_model("linkage", "PersonMerge")  # the record of merges itself is not moved
    assert PairStatus.CONFIRMED
