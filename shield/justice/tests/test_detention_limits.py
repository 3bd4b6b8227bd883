"""A child's custody and temporary-detention limits (children's rules `custody_limit` 72 h,
`temporary_detention_limit` 1,440 h, unverified): at the limit vs one minute over, child vs adult,
the administrator's value, the worklist section, the notification and the pages and API."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.audit.models import AuditEvent
from shield.core.errors import PermissionRefused, ValidationFailed
from shield.justice.children import rules
from shield.justice.children import services as child_services
from shield.justice.children.services import RuleRefused
from shield.justice.detention import limits, queues, selectors, services
from shield.justice.models import ChildDeadlineBreach, DetentionEpisode, DetentionKind, PlaceKind
from shield.justice.tests import detention_factories as f
from shield.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
CUSTODY = DetentionKind.POLICE_CUSTODY
DETENTION = DetentionKind.TEMPORARY_DETENTION
JUSTIFICATION = "Extended by decision 12/QĐ-VKS of the procuracy the same day."


@pytest.fixture
def world():
    agency = f.police_agency()
    officer = f.officer(agency)  # assigned: may justify
    colleague = f.officer(agency, username="colleague")  # same agency, not assigned
    proceeding = f.proceeding(agency=agency, actor=officer, assigned=[officer])
    child = f.party(proceeding=proceeding)
    return agency, officer, colleague, proceeding, child


def record(actor, party, **changes):
    values = {
        "kind": CUSTODY,
        "place_name": "Nhà tạm giữ Công an huyện",
        "place_kind": PlaceKind.POLICE_CELL,
        "started_on": D(2026, 11, 1),
        "started_time": T(8, 0),
        "separated_from_adults": True,
    }
    values.update(changes)
    return services.episode_record(actor=actor, party=party, **values)


def local(day, hour, minute=0):
    return datetime.datetime.combine(day, T(hour, minute), tzinfo=timezone.get_default_timezone())


# The limit itself ------------------------------------------------------------------------------


def test_custody_ending_exactly_at_72_hours_is_recorded(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child, ended_on=D(2026, 11, 4), ended_time=T(8, 0))
    view = limits.view_of(episode, child_rules=rules.ChildRules.current())
    assert view is not None
    assert view.state == "within"
    assert view.limit.hours == 72
    assert not view.limit.verified
    assert view.ends_at == local(D(2026, 11, 4), 8)
    assert episode.limit_justification == ""


def test_custody_ending_one_minute_over_72_hours_is_refused(world):
    _a, officer, _c, _p, child = world
    with pytest.raises(RuleRefused) as refused:
        record(officer, child, ended_on=D(2026, 11, 4), ended_time=T(8, 1))
    assert refused.value.breaches == (rules.DETENTION_LIMIT_EXCEEDED,)
    assert "72" in refused.value.message
    assert not DetentionEpisode.objects.exists()


def test_without_times_three_days_of_custody_fit_and_four_do_not(world):
    _a, officer, _c, _p, child = world
    record(officer, child, started_time=None, ended_on=D(2026, 11, 3))  # 1st to 3rd: 72 h
    other = f.party(proceeding=child.proceeding, full_name="Phạm Thị Hoa")
    with pytest.raises(RuleRefused):
        record(officer, other, started_time=None, ended_on=D(2026, 11, 4))


def test_temporary_detention_at_1440_hours_and_one_minute_over(world):
    _a, officer, _c, proceeding, child = world
    kwargs = {"kind": DETENTION, "place_kind": PlaceKind.DETENTION_CENTRE, "started_on": D(2026, 9, 1)}
    record(officer, child, **kwargs, started_time=T(10, 0), ended_on=D(2026, 10, 31), ended_time=T(10, 0))
    other = f.party(proceeding=proceeding, full_name="Phạm Thị Hoa")
    with pytest.raises(RuleRefused):
        record(officer, other, **kwargs, started_time=T(10, 0), ended_on=D(2026, 10, 31), ended_time=T(10, 1))


def test_a_sentence_has_no_such_limit(world):
    _a, officer, _c, _p, child = world
    episode = record(
        officer, child, kind=DetentionKind.SENTENCE, place_kind=PlaceKind.PRISON, ended_on=D(2026, 11, 30)
    )
    assert limits.view_of(episode, child_rules=rules.ChildRules.current()) is None


def test_the_limit_is_for_children_only(world):
    child_rules = rules.ChildRules.current()
    start = local(D(2026, 11, 1), 8)
    assert rules.detention_limit(child_rules, kind=CUSTODY, started_at=start, is_child=True) is not None
    assert rules.detention_limit(child_rules, kind=CUSTODY, started_at=start, is_child=False) is None
    _a, officer, _c, proceeding, _child = world
    adult = f.party(proceeding=proceeding, full_name="Trần Văn Lâm", is_child=False)
    with pytest.raises(ValidationFailed):  # no episode for an adult at all
        record(officer, adult, ended_on=D(2026, 11, 10))


def test_before_any_rule_was_in_force_no_limit_applies(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child, started_on=D(2025, 11, 1), ended_on=D(2025, 11, 20))
    assert limits.view_of(episode, child_rules=rules.ChildRules.current()) is None


def test_an_administrators_value_applies_to_episodes_starting_from_its_date(world):
    _a, officer, _c, proceeding, child = world
    admin = member(Role.SYSTEM_ADMIN, agency=f.police_agency("79"), username="admin")
    child_services.rule_value_set(
        actor=admin,
        rule_set="deadlines",
        key="custody_limit",
        field="hours",
        value=48,
        effective_from=D(2026, 10, 15),
        verified=True,
        reason="Checked against the official text of Law 59/2024.",
    )
    # Started after the value: 48 hours, verified and marked as set by an administrator.
    episode = record(officer, child, ended_on=D(2026, 11, 3), ended_time=T(8, 0))
    view = limits.view_of(episode, child_rules=rules.ChildRules.current())
    assert view is not None
    assert view.limit.hours == 48
    assert view.limit.verified
    assert view.limit.overridden
    second = f.party(proceeding=proceeding, full_name="Phạm Thị Hoa")
    with pytest.raises(RuleRefused):
        record(officer, second, ended_on=D(2026, 11, 3), ended_time=T(8, 1))
    # Started before it: the file's 72 hours still.
    third = f.party(proceeding=proceeding, full_name="Đỗ Văn Nam")
    early = record(officer, third, started_on=D(2026, 10, 1), ended_on=D(2026, 10, 4), ended_time=T(8, 0))
    assert limits.view_of(early, child_rules=rules.ChildRules.current()).limit.hours == 72


# The one override path -------------------------------------------------------------------------


def test_an_assigned_officer_may_justify_a_release_after_the_limit(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child, ended_on=D(2026, 11, 5), ended_time=T(9, 0), justification=JUSTIFICATION)
    assert episode.limit_justification == JUSTIFICATION
    assert episode.limit_justified_by == officer
    view = limits.view_of(episode, child_rules=rules.ChildRules.current())
    assert view.state == "exceeded"
    assert view.justified
    assert not view.alert
    event = AuditEvent.objects.get(object_id=str(episode.pk), action="create")
    assert event.details["rules_exceeded"] == rules.DETENTION_LIMIT_EXCEEDED
    assert "procuracy" not in str(event.details)


def test_an_officer_not_assigned_cannot_justify(world):
    _a, _officer, colleague, _p, child = world
    with pytest.raises(PermissionRefused):
        record(colleague, child, ended_on=D(2026, 11, 5), justification=JUSTIFICATION)
    assert not DetentionEpisode.objects.exists()


def test_a_short_justification_and_one_with_nothing_to_justify_are_refused(world):
    _a, officer, _c, _p, child = world
    with pytest.raises(ValidationFailed) as short:
        record(officer, child, ended_on=D(2026, 11, 5), justification="needed")
    assert "justification" in short.value.field_errors
    with pytest.raises(ValidationFailed) as pointless:
        record(officer, child, ended_on=D(2026, 11, 2), justification=JUSTIFICATION)
    assert "justification" in pointless.value.field_errors


def test_releasing_late_through_an_update_needs_the_justification_and_keeps_it(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child)  # held, no end
    with pytest.raises(RuleRefused):
        services.episode_update(
            actor=officer, episode=episode, expected_version=1, ended_on=D(2026, 11, 4), ended_time=T(9, 0)
        )
    episode.refresh_from_db()
    assert episode.ended_on is None
    services.episode_update(
        actor=officer,
        episode=episode,
        expected_version=1,
        ended_on=D(2026, 11, 4),
        ended_time=T(9, 0),
        justification=JUSTIFICATION,
    )
    # A later change (aftercare) keeps the justification without asking again.
    services.episode_update(actor=officer, episode=episode, expected_version=2, aftercare_received=True)
    episode.refresh_from_db()
    assert episode.limit_justification == JUSTIFICATION
    assert episode.aftercare_received


def test_a_death_in_detention_is_recorded_whatever_the_limit(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child)
    services.episode_update(actor=officer, episode=episode, expected_version=1, died_on=D(2026, 11, 6))
    episode.refresh_from_db()
    assert episode.ended_on == D(2026, 11, 6)
    assert episode.limit_justification == ""
    view = limits.view_of(episode, child_rules=rules.ChildRules.current())
    assert view.state == "exceeded"
    assert view.alert


def test_the_interviews_use_the_same_override_path():
    assert services.justify_exception is child_services.justify_exception


# Held now: near, breached, the worklist section and the notification ----------------------------


def _held(officer, party, *, started_at, kind=CUSTODY):
    local_start = timezone.localtime(started_at)
    return f.episode(
        party=party,
        recorded_by=officer,
        kind=kind,
        started_on=local_start.date(),
        started_time=local_start.time().replace(second=0, microsecond=0),
    )


def test_open_episodes_within_near_and_past_their_limit(world):
    _a, officer, _c, proceeding, child = world
    now = timezone.now().replace(second=0, microsecond=0)
    child_rules = rules.ChildRules.current()
    fresh = _held(officer, child, started_at=now - datetime.timedelta(hours=10))
    near = _held(
        officer, f.party(proceeding=proceeding, full_name="B"), started_at=now - datetime.timedelta(hours=60)
    )
    at_limit = _held(
        officer, f.party(proceeding=proceeding, full_name="C"), started_at=now - datetime.timedelta(hours=72)
    )
    over = _held(
        officer,
        f.party(proceeding=proceeding, full_name="D"),
        started_at=now - datetime.timedelta(hours=72, minutes=1),
    )
    _held(
        officer,
        f.party(proceeding=proceeding, full_name="E"),
        started_at=now - datetime.timedelta(days=30),
        kind=DetentionKind.SENTENCE,
    )
    states = {
        e.pk: limits.view_of(e, child_rules=child_rules, now=now).state for e in (fresh, near, at_limit, over)
    }
    assert states == {fresh.pk: "within", near.pk: "near", at_limit.pk: "near", over.pk: "breached"}
    listed = set(
        DetentionEpisode.objects.filter(limits.open_limit_q(child_rules, now=now)).values_list(
            "pk", flat=True
        )
    )
    assert listed == {near.pk, at_limit.pk, over.pk}
    passed = DetentionEpisode.objects.filter(limits.open_limit_q(child_rules, now=now, breached_only=True))
    assert set(passed.values_list("pk", flat=True)) == {over.pk}


def test_the_worklist_section_agrees_with_the_list_filter(world):
    _a, officer, _colleague, proceeding, child = world
    now = timezone.now()
    _held(officer, child, started_at=now - datetime.timedelta(hours=80))
    _held(
        officer, f.party(proceeding=proceeding, full_name="B"), started_at=now - datetime.timedelta(hours=2)
    )
    today = timezone.localdate()
    assert queues.limits_items(officer, today).count() == 1
    rows = queues.limit_rows(officer, today, 20)
    assert len(rows) == 1
    assert rows[0].breached
    assert "72" in rows[0].label
    outsider = f.officer(f.police_agency("79"), username="outsider")
    assert queues.limits_items(outsider, today).count() == 0
    client = Client()
    client.force_login(officer)
    listed = client.get(f"/justice/detention/?state={selectors.LIMITS}").content.decode()
    assert listed.count('data-testid="episode-row"') == 1
    assert "Limit breached" in listed or "Đã quá thời hạn" in listed
    worklist = client.get("/justice/worklist/").content.decode()
    assert queues.LIMITS_KEY in worklist or "state=limits" in worklist


def test_a_breach_is_notified_once_to_the_assigned_officers_and_resolved_by_the_release(world):
    _a, officer, _colleague, _p, child = world
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - datetime.timedelta(hours=73)
    episode = _held(officer, child, started_at=start)
    at_limit = start + datetime.timedelta(hours=72)
    assert services.detention_limits_breached_notify(now=at_limit) == 0  # exactly at the limit
    later = at_limit + datetime.timedelta(minutes=1)
    assert services.detention_limits_breached_notify(now=later) == 1
    assert services.detention_limits_breached_notify(now=later) == 0  # once
    note = Notification.objects.get()
    assert note.recipient == officer
    assert note.kind == Kind.CHILD_DEADLINE_BREACHED
    breach = ChildDeadlineBreach.objects.get()
    assert breach.episode == episode
    assert breach.key == "custody_limit"
    assert breach.resolved_at is None
    # The children's own "deadlines breached" section does not list it twice.
    assert not child_services.ChildDeadlineBreach.objects.filter(episode__isnull=True).exists()
    release = timezone.localtime(now)
    services.episode_update(
        actor=officer,
        episode=episode,
        expected_version=episode.version,
        ended_on=release.date(),
        ended_time=release.time().replace(second=0, microsecond=0),
        justification=JUSTIFICATION,
    )
    breach.refresh_from_db()
    assert breach.resolved_at is not None


def test_the_command_runs_both_sweeps(world):
    from io import StringIO

    from django.core.management import call_command

    _a, officer, _c, _p, child = world
    _held(officer, child, started_at=timezone.now() - datetime.timedelta(hours=100))
    out = StringIO()
    call_command("notify_child_deadlines", stdout=out)
    assert ChildDeadlineBreach.objects.filter(episode__isnull=False).count() == 1


# Pages and API ---------------------------------------------------------------------------------


def test_the_pages_show_the_limit_with_its_unverified_mark(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child, ended_on=D(2026, 11, 5), ended_time=T(9, 0), justification=JUSTIFICATION)
    client = Client()
    client.force_login(officer)
    for url in (f"/justice/detention/{episode.pk}/", f"/justice/detention/party/{child.pk}/"):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-testid="detention-limit"' in body
        assert 'data-testid="unverified"' in body
        assert "04/11/2026 08:00" in body
        assert JUSTIFICATION in body


def test_the_form_refuses_a_late_release_without_justification(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child)
    client = Client()
    client.force_login(officer)
    data = {
        "version": 1,
        "kind": CUSTODY,
        "place_name": "Nhà tạm giữ",
        "place_kind": PlaceKind.POLICE_CELL,
        "started_on": "01/11/2026",
        "started_time": "08:00",
        "ended_on": "05/11/2026",
        "ended_time": "08:00",
        "separated_from_adults": "yes",
    }
    response = client.post(f"/justice/detention/{episode.pk}/", data)
    assert response.status_code == 400
    episode.refresh_from_db()
    assert episode.ended_on is None
    response = client.post(f"/justice/detention/{episode.pk}/", {**data, "justification": JUSTIFICATION})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.ended_on == D(2026, 11, 5)
    assert episode.limit_justification == JUSTIFICATION


def test_the_api_shows_the_limit_and_refuses_a_late_release_with_rules_exceeded(world):
    _a, officer, _c, _p, child = world
    episode = record(officer, child)
    client = Client()
    client.force_login(officer)
    url = f"/api/v1/justice/detention/episodes/{episode.pk}/"
    data = client.get(url).json()
    assert data["limit"]["hours"] == 72
    assert data["limit"]["verified"] is False
    assert data["limit"]["rule"] == "custody_limit"
    refused = client.patch(
        url,
        {"ended_on": "2026-11-04", "ended_time": "08:01"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert refused.status_code == 400
    assert refused.json()["rules_exceeded"] == [rules.DETENTION_LIMIT_EXCEEDED]
    ok = client.patch(
        url,
        {"ended_on": "2026-11-04", "ended_time": "08:00"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["limit"]["state"] == "within"


def test_the_demo_keeps_to_the_limits_or_justifies(settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO(), stderr=io.StringIO(), persons=200, up_to="justice")
    child_rules = rules.ChildRules.current()
    episodes = DetentionEpisode.objects.select_related("party")
    assert episodes.exists()
    views = [limits.view_of(e, child_rules=child_rules) for e in episodes]
    assert not [v for v in views if v is not None and v.state == "exceeded" and not v.justified]
