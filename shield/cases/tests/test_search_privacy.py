"""The case list's searches are audited without the words, and the words stay out of the URL."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from shield.audit.models import AuditAction, AuditEvent
from shield.audit.search_terms import keys_of
from shield.cases.tests import factories as f
from shield.people.tests.factories import audit_text

pytestmark = pytest.mark.django_db


def _list_events(user):
    return list(AuditEvent.objects.filter(action=AuditAction.LIST, actor=user, object_type="cases.case"))


def test_the_case_list_search_posts_to_a_key_and_is_audited_by_hashes():
    team = f.team()
    case = f.open_case(actor=team.worker, person_=f.person(actor=team.worker, full_name="Trần Văn Hùng"))
    client = Client()
    client.force_login(team.worker)

    posted = client.post("/cases/", {"q": "tran van hung", "stage": ""})

    assert posted.status_code == 303
    assert "hung" not in posted["Location"]
    assert case.reference in client.get(posted["Location"]).content.decode()
    [event] = _list_events(team.worker)
    assert event.details == {"filters": ["q"], "search": " ".join(keys_of("Trần Văn Hùng"))}
    assert "hung" not in audit_text().lower()


def test_a_stage_filter_alone_stays_in_the_query_string():
    team = f.team()
    client = Client()
    client.force_login(team.worker)

    assert client.post("/cases/", {"q": "", "stage": "registered"})["Location"] == "/cases/?stage=registered"


def test_the_case_api_list_is_audited_by_hashes():
    team = f.team()
    f.open_case(actor=team.worker, person_=f.person(actor=team.worker, full_name="Trần Văn Hùng"))
    client = APIClient()
    client.force_authenticate(team.worker)

    assert client.get("/api/v1/cases/", {"q": "hung", "overdue": "false"}).status_code == 200

    [event] = _list_events(team.worker)
    assert event.details == {"filters": ["overdue", "q"], "search": " ".join(keys_of("hung"))}
