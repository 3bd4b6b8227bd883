"""Every linkage page and API endpoint through the four-actor permission matrix."""

import datetime

import pytest

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.linkage import services
from shield.linkage.models import LinkageRun, PairDecision, PersonMerge, ReviewPair
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor
from shield.people.models import Alias, IdentityDocument, Person

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hoa"
OTHER = "Nguyen Hoa Thi"
snapshot = db_snapshot(ReviewPair, PairDecision, PersonMerge, LinkageRun, Person, IdentityDocument, Alias)


@pytest.fixture
def world():
    home, far = home_agency("home", "01"), home_agency("far", "79")
    reviewer = supervisor(home, username="sup.home")
    a = registered(NAME, agency=home)
    b = registered(OTHER, agency=home, born=datetime.date(1995, 1, 1), birth_date_precision="year")
    pair = review_pair(a, b)
    reviewers = Actors(
        permitted=reviewer,
        no_permission=member(Role.CASE_WORKER, agency=home, username="cw.home"),
        other_agency=supervisor(far, username="sup.far"),
    )
    admin = member(Role.SYSTEM_ADMIN, agency=home, scope="national", username="admin.home")
    runners = Actors(permitted=admin, no_permission=reviewer)
    return reviewers, runners, a, b, pair


def test_review_pages(world):
    reviewers, _runners, _a, _b, pair = world
    assert_matrix(
        Endpoint("GET", "/linkage/", scoped=True), reviewers, secrets=[NAME, OTHER], snapshot=snapshot
    )
    assert_matrix(
        Endpoint("GET", f"/linkage/pairs/{pair.pk}/"), reviewers, secrets=[NAME, OTHER], snapshot=snapshot
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/linkage/pairs/{pair.pk}/decide/",
            data={"decision": "same", "reason": "r", "version": 1},
            permitted_status={302},
        ),
        reviewers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_merge_pages(world):
    reviewers, _runners, a, _b, pair = world
    services.pair_decide(
        actor=reviewers.permitted, pair=pair, decision="same", reason="r", expected_version=1
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/linkage/pairs/{pair.pk}/merge/",
            data={"survivor": str(a.pk), "reason": "r"},
            permitted_status={302},
        ),
        reviewers,
        secrets=[NAME],
        snapshot=snapshot,
    )
    merge = PersonMerge.objects.get()
    assert_matrix(
        Endpoint(
            "POST",
            f"/linkage/pairs/{pair.pk}/merges/{merge.pk}/unmerge/",
            data={"reason": "r"},
            permitted_status={302},
        ),
        reviewers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_a_reviewer_who_may_not_register_people_may_not_merge(world):
    from django.test import Client

    from shield.accounts.roles import ROLE_PERMISSIONS

    reviewers, _runners, a, _b, pair = world
    services.pair_decide(
        actor=reviewers.permitted, pair=pair, decision="same", reason="r", expected_version=1
    )
    assert "people.register" in ROLE_PERMISSIONS[Role.SUPERVISOR]
    client = Client()
    client.force_login(reviewers.permitted)
    ROLE_PERMISSIONS_BACKUP = ROLE_PERMISSIONS[Role.SUPERVISOR]
    try:
        ROLE_PERMISSIONS[Role.SUPERVISOR] = ROLE_PERMISSIONS_BACKUP - {"people.register"}
        response = client.post(f"/linkage/pairs/{pair.pk}/merge/", {"survivor": str(a.pk), "reason": "r"})
    finally:
        ROLE_PERMISSIONS[Role.SUPERVISOR] = ROLE_PERMISSIONS_BACKUP
    assert response.status_code == 403
    assert not PersonMerge.objects.exists()


def test_run_pages(world):
    _reviewers, runners, *_ = world
    assert_matrix(Endpoint("GET", "/linkage/runs/"), runners, snapshot=snapshot)
    assert_matrix(Endpoint("GET", "/linkage/runs/new/"), runners, snapshot=snapshot)
    assert_matrix(
        Endpoint("POST", "/linkage/runs/new/", data={"confirm": "on"}, permitted_status={302}),
        runners,
        snapshot=snapshot,
    )
    run = LinkageRun.objects.latest("created_at")
    assert_matrix(Endpoint("GET", f"/linkage/runs/{run.pk}/"), runners, snapshot=snapshot)


def test_review_api(world):
    reviewers, _runners, _a, _b, pair = world
    assert_matrix(
        Endpoint("GET", "/api/v1/linkage/review-pairs/", api=True, scoped=True),
        reviewers,
        secrets=[NAME, OTHER],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/api/v1/linkage/review-pairs/{pair.pk}/", api=True),
        reviewers,
        secrets=[NAME, OTHER],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/api/v1/linkage/review-pairs/{pair.pk}/decision/",
            data={"decision": "different", "reason": "r", "version": 1},
            api=True,
        ),
        reviewers,
        secrets=[NAME],
        snapshot=snapshot,
    )


def test_run_api(world):
    _reviewers, runners, *_ = world
    assert_matrix(Endpoint("GET", "/api/v1/linkage/runs/", api=True), runners, snapshot=snapshot)
    assert_matrix(
        Endpoint("POST", "/api/v1/linkage/runs/", api=True, permitted_status={202}),
        runners,
        snapshot=snapshot,
    )
