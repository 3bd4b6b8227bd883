import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.people.tests.factories import person

pytestmark = pytest.mark.django_db


def test_a_case_worker_can_open_a_case_from_the_person_page(client):
    worker = member(Role.CASE_WORKER, username="cw.link")
    hoa = person(actor=worker)
    client.force_login(worker)
    page = client.get(reverse("people:person_detail", args=[hoa.pk])).content.decode()
    assert f"{reverse('cases:case_create')}?person={hoa.pk}" in page


def test_a_role_that_cannot_open_cases_sees_no_link(client):
    worker = member(Role.CASE_WORKER, username="cw.owner")
    hoa = person(actor=worker)
    officer = member(Role.JUSTICE_OFFICER, agency=worker.primary_agency, username="jo.link")
    client.force_login(officer)
    response = client.get(reverse("people:person_detail", args=[hoa.pk]))
    assert response.status_code == 200
    assert reverse("cases:case_create") not in response.content.decode()
