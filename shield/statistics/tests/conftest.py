import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _facts_refresh_on_every_read(settings: Settings) -> None:
    """Tests write and read within a second: let every read bring the facts up to date (the
    throttle itself is tested in test_facts.py)."""
    settings.SHIELD_STATISTICS_REFRESH_SECONDS = 0
