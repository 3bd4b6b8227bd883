import pytest

from shield.geo.selectors import province_lookup_clear


@pytest.fixture(autouse=True)
def _fresh_province_lookup():
    """Each test builds the resolver's table from its own database state."""
    province_lookup_clear()
    yield
    province_lookup_clear()
