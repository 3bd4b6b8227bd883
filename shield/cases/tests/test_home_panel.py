"""The home page's "My overdue actions" panel, registered by the cases app."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shield.accounts import home_panels
from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.cases.models import Stage
from shield.cases.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return f.team()


@pytest.fixture
def case(team):
    return f.open_case(actor=team.worker, agency=team.agency)


def text(response):
    return response.content.decode()


def login(client, user):
    client.force_login(user)
    return client


def detail(case):
    return reverse("cases:case_detail", args=[case.pk])


def test_the_panel_is_registered_for_users_who_see_cases(team):
    panels = {panel.key: panel for panel, _context in home_panels.panels_for(team.worker)}
    assert panels["overdue_actions"].permission == "cases.view"
    assert panels["overdue_actions"].template_name == "cases/home_overdue_actions.html"


def test_my_overdue_actions_on_the_home_page(client, team, case):
    f.approved_plan(case, due_on=timezone.localdate() - datetime.timedelta(days=3), responsible=team.worker)
    body = text(login(client, team.worker).get(reverse("home")))
    assert 'data-testid="home-panel-overdue_actions"' in body
    assert "Find a shelter place" in body
    assert case.reference in body
    assert (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y") in body
    assert "3 days late" in body
    assert f"{detail(case)}?tab=plan" in body


def test_nothing_overdue_on_the_home_page(client, team, case):
    f.approved_plan(case, due_on=timezone.localdate() + datetime.timedelta(days=3), responsible=team.worker)
    body = text(login(client, team.worker).get(reverse("home")))
    assert "Nothing overdue" in body


def test_the_overdue_panel_is_not_shown_without_cases_view(client):
    body = text(login(client, member(Role.STATISTICIAN)).get(reverse("home")))
    assert "home-panel-overdue_actions" not in body


def test_a_closed_cases_actions_are_not_overdue(client, team, case):
    f.approved_plan(case, due_on=timezone.localdate() - datetime.timedelta(days=3), responsible=team.worker)
    f.put_at(case, Stage.CLOSED, prerequisites=False)
    assert "Nothing overdue" in text(login(client, team.worker).get(reverse("home")))
