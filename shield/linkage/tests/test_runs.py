"""Linkage runs: the engine over the registry, reviewers' decisions obeyed, stable individual ids."""

import datetime
import io

import pytest
from django.core.management import call_command

from shield.accounts.tests.factories import province
from shield.audit.models import AuditEvent
from shield.linkage import clusters, services
from shield.linkage.clusters import pair_key
from shield.linkage.models import (
    Decision,
    Individual,
    LinkageRun,
    PairDecision,
    PairStatus,
    PersonIndividual,
    ReviewPair,
    RunStatus,
)
from shield.linkage.tests.factories import home_agency, registered

pytestmark = pytest.mark.django_db


def individual_of(person):
    return PersonIndividual.objects.select_related("individual").get(person=person).individual.code


def run_now():
    run = services.run_create(actor=None)
    return services.run_execute(run=run)


def decide(a, b, decision, user):
    from django.utils import timezone

    low, high = pair_key(str(a.pk), str(b.pk))
    PairDecision.objects.create(
        person_low_id=low,
        person_high_id=high,
        decision=decision,
        decided_by=user,
        decided_at=timezone.now(),
        reason="r",
    )


@pytest.fixture
def agencies():
    return home_agency("police-hn", "01"), home_agency("shelter-hcm", "79")


@pytest.fixture
def twice(agencies):
    """One woman recorded by two agencies: the same CCCD and date of birth, the name written two ways."""
    police, shelter = agencies
    a = registered("Nguyễn Thị Hoa", agency=police, number="001195012345", home_province=police.province)
    b = registered("NGUYEN THI HOA", agency=shelter, number="001195012345", home_province=police.province)
    return a, b


# --- the pure rules -------------------------------------------------------------------------


def test_confirmed_pairs_join_clusters():
    result = clusters.apply_decisions({"a": "a", "b": "b", "c": "c"}, confirmed=[("a", "b")])
    assert result["a"] == result["b"] != result["c"]


def test_rejected_pair_splits_a_cluster_keeping_confirmed_groups_whole():
    engine = {"a": "a", "b": "a", "c": "a", "d": "a"}
    result = clusters.apply_decisions(engine, confirmed=[("a", "b")], rejected=[("b", "c")])
    assert result["a"] == result["b"]
    assert result["c"] != result["b"]
    assert result["d"] in (result["a"], result["c"])


def test_confirmed_pair_never_joins_across_a_rejection_inside_its_group():
    engine = {"a": "a", "b": "b", "c": "c"}
    result = clusters.apply_decisions(engine, confirmed=[("a", "b")], rejected=[("a", "c"), ("b", "c")])
    assert result["a"] == result["b"] != result["c"]


def test_numbers_go_to_the_group_holding_most_of_them_ties_to_the_oldest():
    current = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    groups = [["a", "b", "c"], ["d"], ["e", "x"], ["y"]]
    assert clusters.assign_numbers(groups, current) == [1, 2, 3, None]
    # Two old numbers with as many persons each: the oldest wins, the other is free for the next.
    assert clusters.assign_numbers([["c", "a"], ["d"]], {"a": 1, "c": 2, "d": 2}) == [1, 2]


# --- runs over the registry -----------------------------------------------------------------


def test_a_run_gives_the_same_individual_to_one_person_recorded_twice(twice, agencies):
    a, b = twice
    other = registered("Trần Văn Nam", agency=agencies[1], born=datetime.date(1980, 1, 2), sex="male")
    run = run_now()
    assert run.status == RunStatus.FINISHED
    assert run.progress == 100
    assert run.person_count == 3
    assert individual_of(a) == individual_of(b) != individual_of(other)
    assert run.model  # the trained (here: reference) model is kept with the run


def test_adding_unrelated_people_keeps_every_existing_id(twice, agencies):
    a, b = twice
    others = [
        registered(name, agency=agencies[0], born=datetime.date(1970 + i, 5, 5), sex="male")
        for i, name in enumerate(["Lê Văn Bình", "Phạm Minh Tuấn", "Hoàng Văn Long"])
    ]
    run_now()
    before = {p.pk: individual_of(p) for p in [a, b, *others]}
    for i, name in enumerate(["Đỗ Thị Lan", "Vũ Thị Mai", "Bùi Văn Hùng", "Sùng A Páo"]):
        registered(name, agency=agencies[1], born=datetime.date(2000 + i, 7, 1))
    run = run_now()
    assert {p.pk: individual_of(p) for p in [a, b, *others]} == before
    assert run.new_individual_count == 4
    assert run.reassigned_count == 0
    assert Individual.objects.count() == len(set(before.values())) + 4


def test_a_confirmed_link_survives_later_runs(agencies, django_user_model):
    a = registered("Lò Thị Xuân", agency=agencies[0], born=datetime.date(2009, 1, 1))
    b = registered("Mai Anh", agency=agencies[1], born=None)
    run_now()
    assert individual_of(a) != individual_of(b)
    reviewer = django_user_model.objects.create(username="reviewer")
    decide(a, b, Decision.SAME, reviewer)
    run_now()
    run_now()
    assert individual_of(a) == individual_of(b)


def test_a_confirmation_joins_the_two_individuals_at_once_and_the_next_run_keeps_them(agencies):
    from shield.linkage.tests.factories import review_pair, supervisor

    a = registered("Lò Thị Xuân", agency=agencies[0], born=datetime.date(2009, 1, 1))
    b = registered("Mai Anh", agency=agencies[0], born=None)
    run_now()
    older = min(individual_of(a), individual_of(b))
    moved = b if individual_of(a) == older else a
    reviewer = supervisor(agencies[0], scope="national", username="sup")
    pair = review_pair(a, b)
    services.pair_decide(actor=reviewer, pair=pair, decision=Decision.SAME, reason="r", expected_version=1)
    # Both held one person each: the oldest number is kept, as a run would keep it.
    assert individual_of(a) == individual_of(b) == older
    assert AuditEvent.objects.filter(
        object_type="linkage.personindividual", object_id=str(moved.pk), action="update", actor=reviewer
    ).exists()
    run_now()
    assert individual_of(a) == individual_of(b) == older


def test_a_confirmation_across_a_rejection_waits_for_the_run_to_split(twice, agencies):
    from shield.linkage.tests.factories import review_pair, supervisor

    a, b = twice  # one individual, by the engine
    d = registered("Mai Anh", agency=agencies[0], born=None)
    run_now()
    reviewer = supervisor(agencies[0], scope="national", username="sup")
    decide(b, d, Decision.DIFFERENT, reviewer)
    before = individual_of(a), individual_of(d)
    # a and d the same person: joining the individuals now would put b and d together.
    services.pair_decide(
        actor=reviewer, pair=review_pair(a, d), decision=Decision.SAME, reason="r", expected_version=1
    )
    assert (individual_of(a), individual_of(d)) == before
    run_now()
    assert individual_of(a) == individual_of(d) != individual_of(b)


def test_a_rejected_pair_never_merges(twice, django_user_model):
    a, b = twice
    run_now()
    assert individual_of(a) == individual_of(b)
    decide(a, b, Decision.DIFFERENT, django_user_model.objects.create(username="reviewer"))
    run_now()
    assert individual_of(a) != individual_of(b)
    # Decided pairs are not asked again.
    low, high = pair_key(str(a.pk), str(b.pk))
    assert not ReviewPair.objects.filter(
        person_low_id=low, person_high_id=high, status=PairStatus.OPEN
    ).exists()


def test_uncertain_pairs_are_stored_for_review_and_refreshed_not_duplicated(agencies):
    # Same family and given name, sex and province, years two apart: enough to ask, not to merge.
    hue = province("46")
    a = registered(
        "Lê Minh Tuấn",
        agency=agencies[0],
        born=datetime.date(1990, 1, 1),
        birth_date_precision="year",
        sex="male",
        home_province=hue,
    )
    b = registered(
        "Lê Tuấn",
        agency=agencies[1],
        born=datetime.date(1992, 1, 1),
        birth_date_precision="year",
        sex="male",
        home_province=hue,
    )
    first = run_now()
    pairs = ReviewPair.objects.filter(status=PairStatus.OPEN)
    assert first.review_pair_count == pairs.count()
    pair = pairs.get()
    assert {str(pair.person_low_id), str(pair.person_high_id)} == {str(a.pk), str(b.pk)}
    assert pair.evidence
    assert {"field", "level", "weight"} <= set(pair.evidence[0])
    second = run_now()
    pair.refresh_from_db()
    assert pair.status == PairStatus.OPEN
    assert pair.run_id == second.pk
    assert pair.version == 1
    assert ReviewPair.objects.count() == 1


def test_a_second_run_is_refused_while_one_is_queued():
    from shield.core.errors import InvalidTransition

    services.run_create(actor=None)
    with pytest.raises(InvalidTransition):
        services.run_create(actor=None)


def test_run_start_runs_as_a_task_and_is_audited(twice, django_user_model):
    admin = django_user_model.objects.create(username="sysadmin")
    run = services.run_start(actor=admin)
    assert run.status == RunStatus.FINISHED
    assert run.task_id
    events = (
        AuditEvent.objects.filter(object_id=str(run.pk)).order_by("sequence").values_list("action", flat=True)
    )
    assert list(events) == ["create", "update"]


def test_a_failed_run_says_so_and_keeps_the_previous_ids(twice, monkeypatch):
    a, _b = twice
    run_now()
    before = individual_of(a)

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr("shield.linkage.services.runs.dedupe", broken)
    with pytest.raises(RuntimeError):
        run_now()
    failed = LinkageRun.objects.order_by("-created_at").first()
    assert failed.status == RunStatus.FAILED
    assert "engine down" in failed.error
    assert individual_of(a) == before


def test_link_persons_command_runs_with_progress(twice):
    out, err = io.StringIO(), io.StringIO()
    call_command("link_persons", stdout=out, stderr=err)
    assert "2 persons, 1 individuals" in out.getvalue()
    assert LinkageRun.objects.get().status == RunStatus.FINISHED


def test_link_persons_enqueue_queues_a_task(twice):
    out = io.StringIO()
    call_command("link_persons", "--enqueue", stdout=out)
    assert "queued" in out.getvalue()
    # The test settings' immediate backend has run it already.
    assert LinkageRun.objects.get().status == RunStatus.FINISHED


def test_demo_data_adds_near_duplicates_and_runs_linkage(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command(
        "demo_data", "--persons", "150", "--linkage-duplicates", "8", stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert "8 persons recorded a second time" in text, text
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.FINISHED
    assert run.person_count == 158
    # The faithful copies are recognised, the vaguer ones are asked about.
    assert run.individual_count < 158
    assert run.review_pair_count > 0


def test_a_run_gives_the_engine_every_decision_as_a_label(twice, django_user_model, monkeypatch):
    from shield.linkage.engine.labels import LabelledPair
    from shield.linkage.services import runs

    a, b = twice
    decide(a, b, Decision.DIFFERENT, django_user_model.objects.create(username="reviewer"))
    seen = []
    real = runs.dedupe

    def spy(records, **kwargs):
        seen.append(kwargs["labels"])
        return real(records, **kwargs)

    monkeypatch.setattr(runs, "dedupe", spy)
    run = run_now()
    low, high = pair_key(str(a.pk), str(b.pk))
    assert seen == [[LabelledPair(low, high, False)]]
    assert individual_of(a) != individual_of(b)
    reason = AuditEvent.objects.filter(object_id=str(run.pk)).order_by("sequence").last().reason
    assert "1 reviewers' decisions learned from" in reason
    # A person no longer in the run (merged into another) takes its decisions out of the labels.
    assert runs.decision_labels({str(a.pk)}) == []
