"""Searching persons is audited without names, and names searched stay out of URLs and cursors."""

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from shield.accounts.models import User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member
from shield.audit.models import AuditAction, AuditEvent
from shield.audit.search_terms import keys_of
from shield.people.tests import factories as people
from shield.people.tests.factories import audit_text

pytestmark = pytest.mark.django_db

LIST_URL = "/people/"
API_URL = "/api/v1/persons/"


@pytest.fixture
def worker() -> User:
    return member(Role.CASE_WORKER, agency=AgencyFactory.create())


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list_events(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.LIST, actor=user, object_type="people.person").order_by(
            "sequence"
        )
    )


def test_the_search_form_posts_and_lands_on_a_key_without_the_name(worker):
    people.person(actor=worker, full_name="Nguyễn Thị Hoa")
    client = _client(worker)

    posted = client.post(LIST_URL, {"q": "Nguyễn Thị Hoa", "birth_year": "1995"})

    assert posted.status_code == 303
    location = posted["Location"]
    assert list(parse_qs(urlsplit(location).query)) == ["s"]
    assert "hoa" not in location.lower()
    page = client.get(location)
    assert "Nguyễn Thị Hoa" in page.content.decode()
    assert 'value="Nguyễn Thị Hoa"' in page.content.decode()  # the form shows the search kept


def test_an_old_link_with_the_name_is_moved_to_a_key_once(worker):
    response = _client(worker).get(LIST_URL, {"q": "hoa", "province": "01"})

    assert response.status_code == 303
    assert "hoa" not in response["Location"]
    assert re.fullmatch(r"/people/\?s=[\w-]+", response["Location"])


def test_filters_without_typed_words_stay_plain_query_parameters(worker):
    response = _client(worker).post(LIST_URL, {"q": "  ", "province": "01"})

    assert response.status_code == 303
    assert response["Location"] == "/people/?province=01"


def test_a_key_from_another_session_or_expired_shows_an_empty_search(worker):
    location = _client(worker).post(LIST_URL, {"q": "hoa"})["Location"]

    body = _client(worker).get(location).content.decode()

    assert 'data-testid="search-expired"' in body


def test_every_page_of_a_search_writes_one_list_event_without_the_words(worker):
    for i in range(30):
        people.person(actor=worker, full_name=f"Nguyễn Thị Hoa {chr(65 + i % 26)}")
    client = _client(worker)
    location = client.post(LIST_URL, {"q": "nguyen hoa"})["Location"]

    client.get(location)
    client.get(f"{location}&page=2")

    events = _list_events(worker)
    assert len(events) == 2
    assert events[0].details == {"filters": ["q"], "search": " ".join(keys_of("nguyen hoa"))}
    assert "nguyen" not in audit_text().lower()
    assert "hoa" not in audit_text().lower()


def test_the_unsearched_list_writes_a_list_event_too(worker):
    _client(worker).get(LIST_URL)

    [event] = _list_events(worker)
    assert event.details == {"filters": []}


def test_the_api_search_is_audited_by_keyed_hashes(worker):
    people.person(actor=worker, full_name="Trần Văn Bình")
    client = APIClient()
    client.force_authenticate(worker)

    assert client.get(API_URL, {"q": "Trần Văn Bình"}).status_code == 200

    [event] = _list_events(worker)
    assert event.details["search"] == " ".join(keys_of("tran van binh"))
    assert "Bình" not in audit_text()
    assert "binh" not in audit_text().lower()


def test_api_cursors_carry_no_name_and_still_page(worker):
    for i in range(5):
        people.person(actor=worker, full_name=f"Lê Thị Mai {chr(65 + i)}")
    client = APIClient()
    client.force_authenticate(worker)

    first = client.get(API_URL, {"page_size": 2}).json()
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]

    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"mai" not in decoded.lower()
    assert "mai" not in cursor.lower()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    names = [p["full_name"] for page in (first, second, third) for p in page["results"]]
    assert names == [f"Lê Thị Mai {c}" for c in "ABCDE"]
    previous = client.get(second["previous"]).json()
    assert [p["full_name"] for p in previous["results"]] == names[:2]


def test_an_edited_api_cursor_answers_404(worker):
    client = APIClient()
    client.force_authenticate(worker)
    forged = base64.urlsafe_b64encode(b"p=nguyen").decode()

    response = client.get(API_URL, {"cursor": forged})

    assert response.status_code == 404
