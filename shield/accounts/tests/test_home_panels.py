import pytest
from django.urls import reverse

from shield.accounts import home_panels
from shield.accounts.roles import Role
from shield.accounts.tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(tmp_path, settings):
    (tmp_path / "panel.html").write_text("<p>Panel for {{ panel.who }}</p>")
    # Assign a new list (not an in-place edit) so Django notices and rebuilds the template engine.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    home_panels.register(
        home_panels.HomePanel(
            key="test",
            template_name="panel.html",
            context=lambda user: {"who": user.username},
            permission="cases.view",
        )
    )
    yield
    home_panels.unregister("test")


def test_a_registered_panel_shows_for_users_with_its_permission(client, panel):
    client.force_login(member(Role.CASE_WORKER, username="panel.cw"))
    assert b"Panel for panel.cw" in client.get(reverse("home")).content


def test_a_registered_panel_is_hidden_without_its_permission(client, panel):
    client.force_login(member(Role.STATISTICIAN, username="panel.stats"))
    assert b"Panel for" not in client.get(reverse("home")).content
