"""Project-wide pytest setup: English by default, and a Chromium page for browser tests."""

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Transactional tests (browser tests among them) end with a TRUNCATE that the audit table's
# append-only trigger refuses on PostgreSQL; this plugin lets that test-only flush through.
pytest_plugins = ["shield.audit.tests.postgres_flush"]

CHROMIUM = Path(os.environ.get("SHIELD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Give transactional tests the reference data that migrations load (geography, the first
    screening instrument).

    pytest-django empties every table after a transactional test (browser tests among them), so
    the provinces, communes and border gates loaded by data migrations are gone for the next one.
    Reloading them is quicker and sturdier than serialized rollback, which breaks as soon as one
    transactional test does not ask for it.
    """
    from shield.audit.tests.postgres_flush import flushes_database

    if not flushes_database(request.node):
        return
    request.getfixturevalue("transactional_db")
    from shield.geo import loading
    from shield.geo.models import BorderGate, Commune, FormerProvince, Province
    from shield.geo.selectors import province_lookup_clear

    if not Province.objects.exists():
        loading.divisions_load(Province, Commune)
        loading.former_provinces_load(FormerProvince, Province)
        loading.border_gates_load(BorderGate, Province)
        province_lookup_clear()
    # The first screening instrument, also a data migration's (it loads only when missing).
    from django.apps import apps

    importlib.import_module("shield.intake.migrations.0002_first_instrument").load(apps, None)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read English text unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def sign_in_delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The sign-in throttle's delays (shield.accounts.sign_in), recorded instead of slept."""
    from shield.accounts import sign_in

    delays: list[float] = []
    monkeypatch.setattr(sign_in, "sleep", delays.append)
    return delays


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; skipped (or failed when required) if absent."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("SHIELD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SHIELD_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (creating users) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


# Fixtures that open the test database; a test using none of them (nor the django_db marker) is
# blocked from the database by pytest-django, so its result cannot depend on the engine.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that touch the database: the others (the linkage engine,
    name parsing, disclosure control, the demo launcher with its own SQLite file) give the same
    result on either engine and already ran in the SQLite run. `SHIELD_TEST_EVERYTHING=1` runs them
    anyway."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    if os.environ.get("SHIELD_TEST_EVERYTHING") == "1":
        return
    skip = pytest.mark.skip(reason="does not touch the database: runs in the SQLite run")
    for item in items:
        if not uses_database(item):
            item.add_marker(skip)
