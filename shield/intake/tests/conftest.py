import pytest


@pytest.fixture(autouse=True)
def _instrument_after_flush(request: pytest.FixtureRequest) -> None:
    """The first instrument, which the data migration loads, for transactional tests: the flush
    after the previous one emptied the table (as the root conftest reloads the geography)."""
    from shield.audit.tests.postgres_flush import flushes_database

    if not flushes_database(request.node):
        return
    request.getfixturevalue("transactional_db")
    from shield.intake import services

    services.instrument_ensure_first()
