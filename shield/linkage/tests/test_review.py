"""The review queue and a pair's page, and the same through the API: scoped, audited, versioned."""

import datetime
import json

import pytest

from shield.audit.models import AuditEvent
from shield.linkage.models import Decision, LinkageRun, PairDecision, PairStatus, RunStatus
from shield.linkage.tests.factories import home_agency, registered, review_pair, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    police, shelter = home_agency("police-hn", "01"), home_agency("shelter-hn", "01")
    reviewer = supervisor(police, scope="province", username="sup")
    a = registered("Nguyễn Thị Hoa", agency=police)
    b = registered("Nguyen Hoa", agency=shelter, born=datetime.date(1995, 1, 1), birth_date_precision="year")
    far = home_agency("far", "79")
    c = registered("Nguyễn Thị Hòa", agency=far)
    return reviewer, a, b, c, review_pair(a, b, probability=0.93), review_pair(a, c, probability=0.75)


def test_the_queue_lists_only_pairs_whose_persons_the_reviewer_sees(client, setting):
    reviewer, _a, _b, _c, visible, hidden = setting
    client.force_login(reviewer)
    body = client.get("/linkage/").content.decode()
    assert str(visible.pk) in body
    assert str(hidden.pk) not in body
    assert client.get(f"/linkage/pairs/{hidden.pk}/").status_code == 404


def test_the_queue_filters_by_band_and_says_when_empty(client, setting):
    reviewer, *_ = setting
    client.force_login(reviewer)
    assert 'data-testid="pair-row"' in client.get("/linkage/", {"band": "high"}).content.decode()
    assert 'data-testid="empty-state"' in client.get("/linkage/", {"band": "low"}).content.decode()
    assert 'data-testid="empty-state"' in client.get("/linkage/", {"status": "rejected"}).content.decode()


def test_the_pair_page_shows_both_records_and_the_evidence_and_is_audited(client, setting):
    reviewer, a, b, _c, pair, _hidden = setting
    client.force_login(reviewer)
    body = client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert body.count('data-testid="side"') == 2
    assert "Nguyễn Thị Hoa" in body
    assert "Nguyen Hoa" in body
    assert "same given name, accents included" in body
    assert "strongly for the same person" in body
    viewed = set(AuditEvent.objects.filter(action="view").values_list("object_id", flat=True))
    assert {str(pair.pk), str(a.pk), str(b.pk)} <= viewed


def test_confirming_a_pair_records_the_decision(client, setting):
    reviewer, _a, _b, _c, pair, _hidden = setting
    client.force_login(reviewer)
    response = client.post(
        f"/linkage/pairs/{pair.pk}/decide/",
        {"decision": "same", "reason": "Same CCCD on the scan", "version": 1},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED
    assert pair.version == 2
    assert pair.decided_by == reviewer
    assert PairDecision.objects.get().decision == Decision.SAME


def test_a_second_reviewer_with_the_old_version_is_told_and_changes_nothing(client, setting):
    reviewer, _a, _b, _c, pair, _hidden = setting
    client.force_login(reviewer)
    client.post(f"/linkage/pairs/{pair.pk}/decide/", {"decision": "same", "reason": "first", "version": 1})
    late = client.post(
        f"/linkage/pairs/{pair.pk}/decide/", {"decision": "different", "reason": "late", "version": 1}
    )
    assert late.status_code == 409
    assert 'data-testid="stale"' in late.content.decode()
    assert PairDecision.objects.get().decision == Decision.SAME


def test_a_decision_needs_a_reason(client, setting):
    reviewer, _a, _b, _c, pair, _hidden = setting
    client.force_login(reviewer)
    response = client.post(
        f"/linkage/pairs/{pair.pk}/decide/", {"decision": "same", "reason": "", "version": 1}
    )
    assert response.status_code == 400
    assert not PairDecision.objects.exists()


def test_contradicting_decisions_are_refused(client, setting):
    from shield.core.errors import ValidationFailed
    from shield.linkage import services

    reviewer, a, b, _c, pair, _hidden = setting
    third = registered("Nguyễn T. Hoa", agency=a.owner_agency)
    services.pair_decide(actor=reviewer, pair=pair, decision="same", reason="r", expected_version=1)
    services.pair_decide(
        actor=reviewer, pair=review_pair(b, third), decision="same", reason="r", expected_version=1
    )
    with pytest.raises(ValidationFailed):
        services.pair_decide(
            actor=reviewer, pair=review_pair(a, third), decision="different", reason="r", expected_version=1
        )


# --- API --------------------------------------------------------------------------------------


def test_api_lists_reads_and_decides_with_if_match(client, setting):
    reviewer, _a, _b, _c, pair, hidden = setting
    client.force_login(reviewer)
    listed = client.get("/api/v1/linkage/review-pairs/").json()
    assert [p["id"] for p in listed["results"]] == [str(pair.pk)]
    detail = client.get(f"/api/v1/linkage/review-pairs/{pair.pk}/")
    assert detail["ETag"] == '"1"'
    assert detail.json()["evidence"][0]["field"] == "family"
    url = f"/api/v1/linkage/review-pairs/{pair.pk}/decision/"
    body = json.dumps({"decision": "different", "reason": "Different mothers"})
    assert client.post(url, body, content_type="application/json").status_code == 428
    stale = client.post(url, body, content_type="application/json", headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    done = client.post(url, body, content_type="application/json", headers={"If-Match": '"1"'})
    assert done.status_code == 200
    assert done.json()["status"] == "rejected"
    assert done["ETag"] == '"2"'
    again = client.post(url, body, content_type="application/json", headers={"If-Match": '"2"'})
    assert again.status_code == 409
    assert client.get(f"/api/v1/linkage/review-pairs/{hidden.pk}/").status_code == 404


def test_api_runs_list_and_start(client, django_user_model):
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    admin = member(Role.SYSTEM_ADMIN, agency=home_agency("ministry", "01"), scope="national")
    client.force_login(admin)
    started = client.post("/api/v1/linkage/runs/")
    assert started.status_code == 202
    assert LinkageRun.objects.get().status == RunStatus.FINISHED
    assert client.get("/api/v1/linkage/runs/").json()["results"][0]["id"] == started.json()["id"]


def test_the_run_page_starts_a_run_after_confirmation_and_shows_progress(client):
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    admin = member(Role.SYSTEM_ADMIN, agency=home_agency("ministry", "01"), scope="national")
    client.force_login(admin)
    assert 'data-testid="run-now"' in client.get("/linkage/runs/").content.decode()
    assert client.post("/linkage/runs/new/", {}).status_code == 400  # not confirmed
    assert not LinkageRun.objects.exists()
    response = client.post("/linkage/runs/new/", {"confirm": "on"})
    assert response.status_code == 302
    run = LinkageRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="run-summary"' in page
    # While a run is active the progress polls itself with htmx; the partial alone comes back.
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40)
    partial = client.get(f"/linkage/runs/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert "40%" in partial
    assert "<html" not in partial


def test_the_schema_documents_the_linkage_api(client):
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    client.force_login(member(Role.CASE_WORKER))
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"}).content.decode()
    for path in (
        "/api/v1/linkage/review-pairs/",
        "/api/v1/linkage/review-pairs/{pair_id}/decision/",
        "/api/v1/linkage/runs/",
    ):
        assert path in schema


def test_every_level_the_engine_reports_has_words_for_the_reviewer():
    from shield.linkage.engine.dedupe import REFERENCE_MODEL
    from shield.linkage.engine.model import levels_by_gamma, vietnamese_model
    from shield.linkage.presenters import LEVEL_LABELS

    models = [
        vietnamese_model().settings.create_settings_dict("duckdb"),
        json.loads(REFERENCE_MODEL.read_text()),
    ]
    labels = {
        level.get("label_for_charts")
        for model in models
        for comparison in model["comparisons"]
        for _gamma, level in levels_by_gamma(comparison)
    }
    assert labels - set(LEVEL_LABELS) == set()


def test_the_evidence_reads_in_vietnamese(client, setting):
    reviewer, _a, _b, _c, pair, _hidden = setting
    client.force_login(reviewer)
    body = client.get(f"/linkage/pairs/{pair.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "cùng tên, kể cả dấu" in body
    assert "same given name, accents included" not in body
