"""The one work-queue pattern: registration, permission, counts, the "Waiting for you" panel, and
the queues of accounts (role grants) and linkage (pairs to review) agreeing with their lists."""

import re

import pytest
from django.urls import reverse

from shield.accounts import home_panels, services
from shield.accounts.models import RoleGrant
from shield.accounts.roles import Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member
from shield.linkage.tests import factories as linkage
from shield.notifications import worklists

pytestmark = pytest.mark.django_db


def _queue_count(body, key):
    found = re.search(
        rf'data-testid="queue-{key}".*?data-testid="queue-count"[^>]*>([^<]+)<', body, flags=re.DOTALL
    )
    return found.group(1) if found else None


@pytest.fixture
def extra_queue():
    """A queue registered for the test only, counting what the test says."""
    counts = {"n": 0}
    worklists.register(
        worklists.Worklist(
            key="test_queue",
            title="Things to test",
            count=lambda user: counts["n"],
            url_name="home",
            query="x=1",
            permission="cases.view",
            order=0,
        )
    )
    yield counts
    worklists.unregister("test_queue")


def test_the_waiting_panel_is_a_home_panel_for_everyone():
    panels = {panel.key: panel for panel in home_panels._panels.values()}
    assert panels["waiting_for_you"].permission is None
    assert panels["waiting_for_you"].template_name == "notifications/home_waiting.html"


def test_a_registered_queue_shows_its_count_and_link_when_not_empty(client, extra_queue):
    user = member(Role.CASE_WORKER)
    client.force_login(user)
    empty = client.get(reverse("home")).content.decode()
    assert "queue-test_queue" not in empty
    assert 'data-testid="nothing-waiting"' in empty
    extra_queue["n"] = 3
    body = client.get(reverse("home")).content.decode()
    assert _queue_count(body, "test_queue") == "3"
    assert 'href="/?x=1"' in body
    assert "Things to test" in body
    assert 'data-testid="nothing-waiting"' not in body


def test_a_queue_is_hidden_without_its_permission(client, extra_queue):
    extra_queue["n"] = 3
    statistician = member(Role.STATISTICIAN)
    assert "test_queue" not in [w.key for w in worklists.open_to(statistician)]
    client.force_login(statistician)
    assert "queue-test_queue" not in client.get(reverse("home")).content.decode()


def test_a_long_queue_shows_100_plus(client, extra_queue):
    extra_queue["n"] = worklists.COUNT_CAP + 5
    client.force_login(member(Role.CASE_WORKER))
    assert _queue_count(client.get(reverse("home")).content.decode(), "test_queue") == "100+"


def test_the_capped_count_stops_one_past_the_cap():
    from shield.accounts.models import Agency

    AgencyFactory.create_batch(3)
    assert worklists.capped_count(Agency.objects.all()) == Agency.objects.count()


def test_unregistering_removes_the_queue(extra_queue):
    worklists.unregister("test_queue")
    assert "test_queue" not in [w.key for w in worklists.registered()]


def test_role_grants_waiting_are_a_queue_agreeing_with_the_grants_list(client):
    ministry = AgencyFactory(code="ministry", name_en="Ministry")
    first = member(Role.SYSTEM_ADMIN, agency=ministry, scope=Scope.NATIONAL, username="sys.one")
    second = member(Role.SYSTEM_ADMIN, agency=ministry, scope=Scope.NATIONAL, username="sys.two")
    worker = member(Role.STATISTICIAN, agency=ministry)
    grant = services.membership_grant(actor=first, user=worker, agency=ministry, role=Role.SUPERVISOR)
    assert isinstance(grant, RoleGrant)
    client.force_login(second)
    body = client.get(reverse("home")).content.decode()
    assert _queue_count(body, "role_grants") == "1"
    assert reverse("accounts:grant_list") in body
    listed = client.get(reverse("accounts:grant_list"))
    assert len(listed.context["grants"]) == 1
    # A case worker holds no accounts.manage_system: no such queue.
    client.force_login(member(Role.CASE_WORKER))
    assert "queue-role_grants" not in client.get(reverse("home")).content.decode()


def test_linkage_pairs_waiting_are_a_queue_agreeing_with_the_review_list(client):
    agency = AgencyFactory.create()
    a = linkage.registered("Nguyễn Thị Hoa", agency=agency)
    b = linkage.registered("Nguyen Thi Hoa", agency=agency)
    linkage.review_pair(a, b)
    reviewer = linkage.supervisor(agency)
    client.force_login(reviewer)
    body = client.get(reverse("home")).content.decode()
    assert _queue_count(body, "linkage_pairs") == "1"
    listed = client.get(reverse("linkage:review_list"), {"status": "open"})
    assert listed.context["page"].paginator.count == 1
    # Another agency's reviewer sees neither pair nor queue.
    client.force_login(linkage.supervisor(AgencyFactory.create()))
    assert "queue-linkage_pairs" not in client.get(reverse("home")).content.decode()


def test_queues_given_as_items_are_counted_together_in_one_statement(django_assert_num_queries):
    from shield.accounts.models import Agency

    for n in range(3):
        AgencyFactory(name_en=f"Queue agency {n}")
    everything = Agency.objects.all()
    total = everything.count()
    querysets = [everything, everything.filter(name_en__startswith="Queue agency"), everything.none()]
    querysets.append(everything.filter(pk__in=[]))
    with django_assert_num_queries(1):
        counted = worklists.capped_counts(querysets)
    assert counted == [min(total, worklists.COUNT_CAP + 1), 3, 0, 0]
    assert counted[:2] == [worklists.capped_count(q) for q in querysets[:2]]


def test_a_worklist_needs_items_or_a_count_and_derives_the_count_from_its_items():
    with pytest.raises(ValueError, match="exactly one"):
        worklists.Worklist(key="neither", title="x", url_name="home")
    from shield.accounts.models import Agency

    queue = worklists.Worklist(
        key="derived", title="x", url_name="home", items=lambda user: Agency.objects.none()
    )
    assert queue.count(None) == 0
