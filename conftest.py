"""Project-wide pytest setup."""

import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):  # type: ignore[no-untyped-def]
    """Tests read English text unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"
