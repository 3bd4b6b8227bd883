"""Assembling a release runs as a task with progress: queued, counted and protected, or failed
with the reason kept; a recount queued meanwhile makes the older task write nothing."""

import pytest
from django.test import Client

from shield.core.errors import InvalidTransition
from shield.statistics import tasks as release_tasks
from shield.statistics.models import BuildState, Release
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = pytest.mark.django_db

counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)


def create(actor):
    return services.release_create(actor=actor, period="2025", title_vi="t", title_en="t", table_set="glotip")


@pytest.fixture
def no_worker(monkeypatch):
    """Tasks stay queued, as when no worker runs: the test runs them itself."""

    class Queue:
        def enqueue(self, *args):
            return None

    monkeypatch.setattr(release_tasks, "release_assemble", Queue())


def test_a_queued_release_shows_its_progress_until_the_task_has_assembled_it(
    counts, statisticians, no_worker
):
    first, _ = statisticians
    release = create(first)
    assert release.build_state == BuildState.QUEUED
    assert release.content == {}
    client = Client()
    client.force_login(first)
    page = client.get(f"/statistics/releases/{release.pk}/").content.decode()
    assert 'data-testid="release-assembly"' in page
    assert "every 2s" in page
    assert 'data-testid="release-submit"' not in page
    with pytest.raises(InvalidTransition):
        services.release_submit(actor=first, release=release, expected_version=release.version)

    assert services.release_assemble(release_id=release.pk, token=release.build_token) == BuildState.DONE
    release.refresh_from_db()
    assert release.build_state == BuildState.DONE
    assert release.build_progress == 100
    assert release.content_hash == services.hash_of(release)
    poll = client.get(f"/statistics/releases/{release.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "Assembled." in poll
    assert "every 2s" not in poll


def test_a_task_of_an_older_recount_writes_nothing(counts, statisticians, no_worker):
    first, _ = statisticians
    release = create(first)
    old_token = release.build_token
    release = services.release_rebuild(actor=first, release=release, expected_version=release.version)
    assert services.release_assemble(release_id=release.pk, token=old_token) == "skipped"
    release.refresh_from_db()
    assert release.build_state == BuildState.QUEUED
    assert services.release_assemble(release_id=release.pk, token=release.build_token) == BuildState.DONE


def test_a_failed_assembly_keeps_the_reason_and_cannot_be_submitted(counts, statisticians, monkeypatch):
    first, _ = statisticians

    def broken(**kwargs):
        raise ValueError("the counting source is unavailable")

    monkeypatch.setattr(release_fixtures.reports.selectors, "tables_for", broken)
    release = create(first)
    assert release.build_state == BuildState.FAILED
    assert "unavailable" in release.build_error
    with pytest.raises(InvalidTransition):
        services.release_submit(actor=first, release=release, expected_version=release.version)
    client = Client()
    client.force_login(first)
    assert (
        'data-testid="assembly-failed"' in client.get(f"/statistics/releases/{release.pk}/").content.decode()
    )
    assert Release.objects.get(pk=release.pk).content == {}
