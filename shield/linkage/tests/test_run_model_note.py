"""A run over a registry it cannot train on finishes, scored with the reference model, and says so."""

import datetime
import io
import sys
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import translation

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.linkage import services
from shield.linkage.model_notes import model_note
from shield.linkage.models import LinkageRun, RunStatus
from shield.linkage.tests.factories import home_agency, registered

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Nam",
    "Lê Thị Mai",
    "Phạm Minh Tuấn",
    "Hoàng Văn Long",
    "Đỗ Thị Lan",
    "Vũ Thị Hằng",
    "Bùi Văn Hùng",
    "Sùng A Páo",
    "Lò Thị Xuân",
    "Đặng Quốc Bảo",
    "Ngô Thị Yến",
]


@pytest.fixture
def first_day():
    """A registry's first day: every person recorded once, by one agency or another."""
    agencies = home_agency("police-hn", "01"), home_agency("shelter-hcm", "79")
    return [
        registered(name, agency=agencies[i % 2], born=datetime.date(1970 + 3 * i, 1 + i, 2 + i))
        for i, name in enumerate(NAMES)
    ]


def _train_from(records: int):
    """A registry of `records` persons trains its own model (the engine's thresholds lowered, so
    that a dozen persons take the path a real registry of thousands takes)."""
    engine = sys.modules["shield.linkage.engine.dedupe"]
    return mock.patch.multiple(engine, MIN_TRAINING_RECORDS=records, MIN_VIETNAMESE_TRAINING_RECORDS=records)


def _run_page(client, run: LinkageRun) -> str:
    admin = member(Role.SYSTEM_ADMIN, agency=home_agency("ministry", "01"), scope="national")
    client.force_login(admin)
    return client.get(f"/linkage/runs/{run.pk}/").content.decode()


def test_a_registry_without_duplicates_is_scored_with_the_reference_model_and_the_run_says_so(
    first_day, client
):
    with _train_from(5):
        run = services.run_execute(run=services.run_create(actor=None))
    assert run.status == RunStatus.FINISHED
    assert run.person_count == run.individual_count == len(NAMES)
    assert run.stage == "finished:reference:no_matches"
    assert "reference model" in run.model_note
    assert "no two persons matched the training rules" in run.model_note
    page = _run_page(client, run)
    assert 'data-testid="run-model-note"' in page
    assert "Scored with the reference model" in page
    with translation.override("vi"):
        assert "mô hình tham chiếu" in run.model_note


def test_a_small_registry_says_it_is_too_small_to_train(first_day, client):
    run = services.run_execute(run=services.run_create(actor=None))
    assert run.stage == "finished:reference:small_file"
    assert "too small to train" in _run_page(client, run)


def test_a_run_that_trained_its_own_model_shows_no_note(client):
    # The stage of a run that trained, and of one that has not finished, says nothing more.
    assert model_note("finished") == ""
    run = LinkageRun.objects.create(status=RunStatus.RUNNING, stage="finished:reference:no_matches")
    assert run.model_note == ""
    assert 'data-testid="run-model-note"' not in _run_page(client, run)


def test_link_persons_prints_which_model_scored_the_run(first_day):
    out = io.StringIO()
    with _train_from(5):
        call_command("link_persons", stdout=out, stderr=io.StringIO())
    assert "reference model" in out.getvalue()
