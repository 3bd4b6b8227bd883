"""Every release page and statistics API endpoint through the permission matrix.

Releases are national: a statistician of another agency holds the same rights (`also_allowed`).
Reads are refused to a role without `statistics.view` (a case worker); assembling and acting on
releases to a role with `statistics.view` only (a supervisor), who also never sees a draft.
"""

import pytest

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.statistics.models import Release
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = pytest.mark.django_db

# The shared fixtures of the release tests.
counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)

snapshot = db_snapshot(Release)
DRAFT_TITLE = "Draft-title-secret"
PUBLISHED_TITLE = "Published-title"


@pytest.fixture
def world(counts, statisticians, ministry):
    first, second = statisticians
    elsewhere = member(
        Role.STATISTICIAN, agency=AgencyFactory(code="far"), scope=Scope.NATIONAL, username="stat.far"
    )
    readers = Actors(
        permitted=first,
        no_permission=member(Role.CASE_WORKER, agency=ministry, username="cw"),
        other_agency=elsewhere,
    )
    supervisor = member(Role.SUPERVISOR, agency=ministry, scope=Scope.NATIONAL, username="sup")
    # Acting on one release: a statistician elsewhere could act first, so the matrix leaves them out.
    writers = Actors(permitted=first, no_permission=supervisor)
    approvers = Actors(permitted=second, no_permission=supervisor)
    published = services.release_create(
        actor=first, period="2024", title_vi=PUBLISHED_TITLE, title_en=PUBLISHED_TITLE, table_set="glotip"
    )
    published = services.release_submit(actor=first, release=published, expected_version=published.version)
    published = services.release_approve(actor=second, release=published, expected_version=published.version)
    draft = services.release_create(
        actor=first, period="2025", title_vi=DRAFT_TITLE, title_en=DRAFT_TITLE, table_set="glotip"
    )
    return readers, writers, approvers, published, draft


def test_reading_pages_and_downloads(world):
    readers, writers, _approvers, published, draft = world
    for url in ["/statistics/releases/", f"/statistics/releases/{published.pk}/"]:
        assert_matrix(
            Endpoint("GET", url, also_allowed={"other_agency"}),
            readers,
            secrets=[PUBLISHED_TITLE],
            snapshot=snapshot,
        )
    for fmt in ("json", "csv", "xlsx"):
        secret = [published.content_hash] if fmt == "json" else []  # the others are zip files
        assert_matrix(
            Endpoint(
                "GET", f"/statistics/releases/{published.pk}/download.{fmt}", also_allowed={"other_agency"}
            ),
            readers,
            secrets=secret,
            snapshot=snapshot,
        )
    # A draft is work in progress: a supervisor (statistics.view only) neither lists nor opens it.
    assert_matrix(
        Endpoint("GET", f"/statistics/releases/{draft.pk}/"),
        writers,
        secrets=[DRAFT_TITLE],
        snapshot=snapshot,
    )


def test_assembling_and_acting(world):
    _readers, writers, approvers, published, draft = world
    create = {"period": "2023", "table_set": "glotip", "title_vi": "t", "title_en": "t"}
    assert_matrix(Endpoint("GET", "/statistics/releases/new/"), writers, snapshot=snapshot)
    assert_matrix(
        Endpoint("POST", "/statistics/releases/new/", data=create, permitted_status={302}),
        writers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("GET", f"/statistics/releases/{draft.pk}/submit/"),
        writers,
        secrets=[draft.content_hash],
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/statistics/releases/{draft.pk}/rebuild/",
            data={"version": draft.version},
            permitted_status={302},
        ),
        writers,
        snapshot=snapshot,
    )
    draft.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            f"/statistics/releases/{draft.pk}/submit/",
            data={"version": draft.version},
            permitted_status={302},
        ),
        writers,
        snapshot=snapshot,
    )
    draft.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST",
            f"/statistics/releases/{draft.pk}/return/",
            data={"version": draft.version, "reason": "r"},
            permitted_status={302},
        ),
        approvers,
        snapshot=snapshot,
    )
    draft.refresh_from_db()
    draft = services.release_submit(actor=writers.permitted, release=draft, expected_version=draft.version)
    assert_matrix(
        Endpoint(
            "POST",
            f"/statistics/releases/{draft.pk}/approve/",
            data={"version": draft.version},
            permitted_status={302},
        ),
        approvers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"/statistics/releases/{published.pk}/correct/",
            data={"version": published.version, "reason": "r"},
            permitted_status={302},
        ),
        writers,
        snapshot=snapshot,
    )


def test_api_reads(world):
    readers, writers, _approvers, published, draft = world
    base = "/api/v1/statistics"
    for url, data, secrets in [
        (f"{base}/indicators/", None, ["victims_detected"]),
        (
            f"{base}/tables/",
            {"indicator": "victims_detected", "period": "2025", "dimensions": "sex"},
            ["female"],
        ),
        (f"{base}/releases/", None, [PUBLISHED_TITLE]),
        (f"{base}/releases/{published.pk}/", None, [published.content_hash]),
    ]:
        assert_matrix(
            Endpoint("GET", url, data=data, api=True, also_allowed={"other_agency"}),
            readers,
            secrets=secrets,
            snapshot=snapshot,
        )
    assert_matrix(
        Endpoint("GET", f"{base}/releases/{draft.pk}/", api=True),
        writers,
        secrets=[DRAFT_TITLE],
        snapshot=snapshot,
    )


def test_api_writes(world):
    _readers, writers, approvers, published, draft = world
    base = "/api/v1/statistics/releases"
    create = {"period": "2023", "table_set": "glotip", "title_vi": "t", "title_en": "t"}
    assert_matrix(
        Endpoint("POST", f"{base}/", data=create, api=True, permitted_status={201}),
        writers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint("POST", f"{base}/{draft.pk}/rebuild/", data={"version": draft.version}, api=True),
        writers,
        snapshot=snapshot,
    )
    draft.refresh_from_db()
    assert_matrix(
        Endpoint("POST", f"{base}/{draft.pk}/submit/", data={"version": draft.version}, api=True),
        writers,
        snapshot=snapshot,
    )
    draft.refresh_from_db()
    assert_matrix(
        Endpoint(
            "POST", f"{base}/{draft.pk}/return/", data={"version": draft.version, "reason": "r"}, api=True
        ),
        approvers,
        snapshot=snapshot,
    )
    draft = services.release_submit(
        actor=writers.permitted, release=draft, expected_version=draft.version + 1
    )
    assert_matrix(
        Endpoint("POST", f"{base}/{draft.pk}/approve/", data={"version": draft.version}, api=True),
        approvers,
        snapshot=snapshot,
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"{base}/{published.pk}/correct/",
            data={"version": published.version, "reason": "r"},
            api=True,
            permitted_status={201},
        ),
        writers,
        snapshot=snapshot,
    )
