"""A release cannot reveal what an earlier release for the same period suppressed: an attacker who
holds both sets of printed tables still cannot narrow a suppressed cell below the protection width."""

import pytest

from shield.statistics import reports
from shield.statistics.disclosure.audit import intervals
from shield.statistics.disclosure.relations import build
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

BY_SEX = [reports.TableSpec("victims_detected", ("sex",))]
BY_SEX_AGE = [reports.TableSpec("victims_detected", ("sex", "age_unodc"))]


def publish(first, second, specs):
    release = services.release_create(actor=first, period="2025", title_vi="t", title_en="t", specs=specs)
    release = services.release_submit(actor=first, release=release, expected_version=release.version)
    return services.release_approve(actor=second, release=release, expected_version=release.version)


def narrowest(contents, suppressed_in):
    """The narrowest interval an attacker holding every printed figure of `contents` gets for the
    cells suppressed in `suppressed_in` (the LP audit over both releases' equations)."""
    system = build([], release_content.published_tables(contents))
    targets = {}
    for published, table in zip(
        release_content.published_tables([suppressed_in]), suppressed_in["tables"], strict=True
    ):
        for cell in table["cells"]:
            if cell["status"] != "published":
                targets[system.variable(published.shape.quantity(tuple(cell["key"])))] = tuple(cell["key"])
    found = intervals(system, set(targets))
    return min((high if high is not None else 10**9) - low for low, high in found.values()), len(targets)


@pytest.mark.parametrize(
    "later", [BY_SEX_AGE, [*BY_SEX_AGE, reports.TableSpec("victims_detected", ("age_unodc",))]]
)
def test_a_later_release_keeps_the_earlier_ones_suppressed_cells_protected(counts, statisticians, later):
    first, second = statisticians
    earlier = publish(first, second, BY_SEX)
    width, suppressed = narrowest([earlier.content], earlier.content)
    assert suppressed >= 2
    assert width >= earlier.content["protection"]  # the earlier release alone
    after = publish(first, second, later)
    assert after.content["protected_against"] == [str(earlier.pk)]
    width, _ = narrowest([earlier.content, after.content], earlier.content)
    assert width >= earlier.content["protection"]
    width, _ = narrowest([earlier.content, after.content], after.content)
    assert width >= after.content["protection"]


def test_a_correction_keeps_the_replaced_releases_suppressed_cells_protected(counts, statisticians):
    first, second = statisticians
    original = publish(first, second, BY_SEX_AGE)
    correction = services.release_correct(actor=first, release=original, reason="Recheck")
    correction = services.release_submit(actor=first, release=correction, expected_version=correction.version)
    correction = services.release_approve(
        actor=second, release=correction, expected_version=correction.version
    )
    width, suppressed = narrowest([original.content, correction.content], original.content)
    assert suppressed
    assert width >= original.content["protection"]
