"""Releases: assembled by one statistician, approved by another, frozen under a hash, corrected by
a new release; every build protected against what earlier releases for the period published."""

import pytest
from django.db import IntegrityError, transaction

from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import member
from shield.audit.models import AuditAction, AuditEvent
from shield.core.errors import (
    InvalidTransition,
    PermissionRefused,
    StaleVersion,
    ValidationFailed,
    VersionRequired,
)
from shield.statistics import disclosure
from shield.statistics.models import Release, ReleaseStatus
from shield.statistics.selectors import releases as release_selectors
from shield.statistics.services import release_content
from shield.statistics.services import releases as services
from shield.statistics.tests import release_fixtures

pytestmark = pytest.mark.django_db

# The shared fixtures of the release tests.
counts, ministry, statisticians = (
    release_fixtures.counts,
    release_fixtures.ministry,
    release_fixtures.statisticians,
)


def draft(actor, period="2025"):
    return services.release_create(
        actor=actor, period=period, title_vi="Nạn nhân 2025", title_en="Victims 2025", table_set="glotip"
    )


def approved(first, second, period="2025"):
    release = draft(first, period)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    return services.release_approve(actor=second, release=release, expected_version=release.version)


def events(release, action):
    return AuditEvent.objects.filter(object_id=str(release.pk), action=action)


def cell(content, table, key):
    return next(c for c in content["tables"][table]["cells"] if tuple(c["key"]) == key)


def test_a_draft_holds_the_protected_tables_and_never_a_suppressed_value(counts, statisticians):
    first, _ = statisticians
    release = draft(first)
    assert release.status == ReleaseStatus.DRAFT
    assert release.assembled_by == first
    assert len(release.content["tables"]) == 2
    assert release.content_hash == services.hash_of(release)
    female_child = cell(release.content, 1, ("female", "0-17"))  # 3 persons: below the threshold
    assert female_child["status"] != "published"
    assert "value" not in female_child
    assert "3" not in female_child["display"]
    assert cell(release.content, 0, ())["value"] == 82
    assert release.content["audit"]
    assert all(row["ok"] for row in release.content["audit"])
    assert all("value" not in row for row in release.content["audit"])
    assert events(release, AuditAction.CREATE).count() == 1


def test_the_create_form_errors_name_their_fields(counts, statisticians):
    first, _ = statisticians
    with pytest.raises(ValidationFailed) as refused:
        services.release_create(actor=first, period="2025-13", title_vi="", title_en="x" * 300, table_set="")
    assert set(refused.value.field_errors) == {"period", "title_vi", "title_en", "table_set"}
    assert not Release.objects.exists()


def test_a_second_statistician_approves_and_the_release_is_frozen(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    assert release.status == ReleaseStatus.APPROVED
    assert release.approved_by == second
    assert release.is_frozen
    assert release.approved_at is not None
    assert events(release, AuditAction.TRANSITION).count() == 2
    before = (release.content, release.content_hash, release.version)
    for change in (
        lambda: services.release_rebuild(actor=first, release=release, expected_version=release.version),
        lambda: services.release_submit(actor=first, release=release, expected_version=release.version),
        lambda: services.release_return(
            actor=second, release=release, reason="r", expected_version=release.version
        ),
        lambda: services.release_approve(actor=second, release=release, expected_version=release.version),
    ):
        with pytest.raises(InvalidTransition):
            change()
    release.refresh_from_db()
    assert (release.content, release.content_hash, release.version) == before


def test_whoever_assembled_or_submitted_cannot_approve(counts, statisticians, ministry):
    first, second = statisticians
    release = draft(first)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    with pytest.raises(PermissionRefused):
        services.release_approve(actor=first, release=release, expected_version=release.version)
    # The second statistician recounts after a return: now they assembled it, so neither may approve
    # alone; a third person can.
    release = services.release_return(
        actor=second, release=release, reason="Recount", expected_version=release.version
    )
    release = services.release_rebuild(actor=second, release=release, expected_version=release.version)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    for person in (first, second):
        with pytest.raises(PermissionRefused):
            services.release_approve(actor=person, release=release, expected_version=release.version)
    third = member(Role.STATISTICIAN, agency=ministry, scope=Scope.NATIONAL, username="stat.three")
    assert services.release_approve(actor=third, release=release, expected_version=release.version).is_frozen


def test_the_database_refuses_an_approval_by_the_assembler(counts, statisticians):
    first, _ = statisticians
    release = draft(first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(approved_by=first)


def test_a_role_without_the_approve_permission_cannot_approve(counts, statisticians, ministry):
    first, _ = statisticians
    release = draft(first)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    supervisor = member(Role.SUPERVISOR, agency=ministry, scope=Scope.NATIONAL, username="sup")
    with pytest.raises(PermissionRefused):
        services.release_approve(actor=supervisor, release=release, expected_version=release.version)
    with pytest.raises(PermissionRefused):
        services.release_create(
            actor=supervisor, period="2025", title_vi="t", title_en="t", table_set="glotip"
        )


def test_a_stale_or_missing_version_changes_nothing(counts, statisticians):
    first, _ = statisticians
    release = draft(first)
    with pytest.raises(StaleVersion):
        services.release_submit(actor=first, release=release, expected_version=release.version + 1)
    with pytest.raises(VersionRequired):
        services.release_submit(actor=first, release=release, expected_version=None)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


def test_returning_needs_a_reason_and_goes_back_to_draft(counts, statisticians):
    first, second = statisticians
    release = draft(first)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    with pytest.raises(ValidationFailed):
        services.release_return(actor=second, release=release, reason="  ", expected_version=release.version)
    release = services.release_return(
        actor=second, release=release, reason="Province table looks low", expected_version=release.version
    )
    assert release.status == ReleaseStatus.DRAFT
    assert release.returned_reason == "Province table looks low"
    assert release.submitted_by is None
    event = events(release, AuditAction.TRANSITION).order_by("-sequence").first()
    assert "Province table" not in event.reason  # the text stays on the release, the event points to it


def test_a_recount_picks_up_new_data_while_a_draft(counts, statisticians):
    first, _ = statisticians
    release = draft(first)
    old_hash = release.content_hash
    counts.by_sex_age[("male", "18+")] += 10
    release = services.release_rebuild(actor=first, release=release, expected_version=release.version)
    assert cell(release.content, 0, ())["value"] == 92
    assert release.content_hash != old_hash


def test_a_correction_replaces_the_release_and_supersedes_it_once_approved(counts, statisticians):
    first, second = statisticians
    original = approved(first, second)
    counts.by_sex_age[("female", "18+")] += 5
    correction = services.release_correct(actor=first, release=original, reason="Late registrations")
    assert correction.replaces == original
    assert correction.status == ReleaseStatus.DRAFT
    assert correction.content["protected_against"] == [str(original.pk)]
    assert release_selectors.superseded_by(original) is None
    with pytest.raises(InvalidTransition):
        services.release_correct(actor=first, release=original, reason="again")
    correction = services.release_submit(actor=first, release=correction, expected_version=correction.version)
    correction = services.release_approve(
        actor=second, release=correction, expected_version=correction.version
    )
    original.refresh_from_db()
    assert release_selectors.superseded_by(original) == correction
    assert original.status == ReleaseStatus.APPROVED  # frozen as it was: still downloadable, marked
    services.verify(original)


def test_a_draft_cannot_be_corrected(counts, statisticians):
    first, _ = statisticians
    with pytest.raises(InvalidTransition):
        services.release_correct(actor=first, release=draft(first), reason="why")


def test_every_build_is_protected_against_what_the_period_already_published(
    counts, statisticians, monkeypatch
):
    first, second = statisticians
    original = approved(first, second)
    seen = []
    real = disclosure.protect

    def spy(tables, **options):
        seen.append(list(options.get("published", ())))
        return real(tables, **options)

    monkeypatch.setattr(disclosure, "protect", spy)
    services.release_correct(actor=first, release=original, reason="Late registrations")
    services.release_create(actor=first, period="2024", title_vi="t", title_en="t", table_set="glotip")
    with_2025, with_2024 = seen
    assert len(with_2025) == len(original.content["tables"])
    assert with_2024 == []
    expected = release_content.published_tables([original.content])
    assert with_2025 == expected


def test_approval_waits_for_a_recount_when_another_release_of_the_period_was_approved_meanwhile(
    counts, statisticians
):
    first, second = statisticians
    late = draft(first)
    late = services.release_submit(actor=first, release=late, expected_version=late.version)
    approved(first, second)  # another release for 2025, approved after `late` was assembled
    with pytest.raises(InvalidTransition):
        services.release_approve(actor=second, release=late, expected_version=late.version)


def test_a_tampered_release_fails_verification(counts, statisticians):
    first, second = statisticians
    release = approved(first, second)
    services.verify(release)
    content = release.content
    content["tables"][0]["cells"][0]["display"] = "99"
    Release.objects.filter(pk=release.pk).update(content=content)
    release.refresh_from_db()
    with pytest.raises(services.ReleaseTampered):
        services.verify(release)
