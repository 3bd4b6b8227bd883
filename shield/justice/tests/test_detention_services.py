"""Recording detention: what the services accept, refuse and audit."""

import datetime

import pytest

from shield.audit.models import AuditEvent
from shield.core.errors import NotFound, PermissionRefused, StaleVersion, ValidationFailed, VersionRequired
from shield.justice.detention import services
from shield.justice.models import DetentionEpisode, DetentionKind, FamilyVisit, PartyRole, PlaceKind
from shield.justice.tests import detention_factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    agency = f.police_agency()
    officer = f.officer(agency)
    proceeding = f.proceeding(agency=agency, actor=officer, assigned=[officer])
    child = f.party(proceeding=proceeding)
    return agency, officer, proceeding, child


def record(officer, party, **changes):
    values = {
        "kind": DetentionKind.TEMPORARY_DETENTION,
        "place_name": "Trại tạm giam số 1",
        "place_kind": PlaceKind.DETENTION_CENTRE,
        "started_on": D(2025, 3, 2),
        "separated_from_adults": True,
    }
    values.update(changes)
    return services.episode_record(actor=officer, party=party, **values)


def test_recording_an_episode_writes_it_and_an_audit_event(world):
    _agency, officer, _p, child = world
    episode = record(officer, child)
    assert episode.version == 1
    assert episode.is_open
    event = AuditEvent.objects.get(object_id=str(episode.pk), action="create")
    assert "place_name" in event.changed_fields
    assert "Trại" not in str(event.details)


def test_adult_parties_get_no_detention_episode(world):
    _agency, officer, proceeding, _child = world
    adult = f.party(proceeding=proceeding, full_name="Trần Văn Lâm", is_child=False, role=PartyRole.DEFENDANT)
    with pytest.raises(ValidationFailed):
        record(officer, adult)
    assert not DetentionEpisode.objects.exists()


def test_overlapping_episodes_of_one_child_are_refused(world):
    _agency, officer, _p, child = world
    record(officer, child, ended_on=D(2025, 3, 20))
    with pytest.raises(ValidationFailed) as refused:
        record(officer, child, started_on=D(2025, 3, 20))
    assert "started_on" in refused.value.field_errors
    # The next day is fine: sentence served after release from temporary detention.
    record(officer, child, started_on=D(2025, 3, 21), kind=DetentionKind.SENTENCE)
    assert DetentionEpisode.objects.count() == 2


def test_a_death_ends_the_episode_on_that_day_and_admits_no_aftercare(world):
    _agency, officer, _p, child = world
    episode = record(officer, child, died_on=D(2025, 4, 1))
    assert episode.ended_on == D(2025, 4, 1)
    with pytest.raises(ValidationFailed) as refused:
        services.episode_update(actor=officer, episode=episode, expected_version=1, aftercare_received=True)
    assert "aftercare_received" in refused.value.field_errors


def test_aftercare_is_recorded_only_after_release(world):
    _agency, officer, _p, child = world
    with pytest.raises(ValidationFailed) as refused:
        record(officer, child, aftercare_received=True)
    assert "aftercare_received" in refused.value.field_errors
    episode = record(officer, child)
    services.episode_update(
        actor=officer,
        episode=episode,
        expected_version=1,
        ended_on=D(2025, 5, 1),
        aftercare_received=True,
        aftercare_detail="Học nghề tại trung tâm",
    )
    episode.refresh_from_db()
    assert episode.version == 2
    assert episode.aftercare_received is True


def test_episode_cannot_end_before_it_starts_or_start_in_the_future(world):
    _agency, officer, _p, child = world
    with pytest.raises(ValidationFailed) as refused:
        record(officer, child, ended_on=D(2025, 3, 1))
    assert "ended_on" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        record(officer, child, started_on=datetime.date.today() + datetime.timedelta(days=2))
    assert "started_on" in refused.value.field_errors


def test_stale_and_missing_versions_are_refused_and_nothing_is_written(world):
    _agency, officer, _p, child = world
    episode = record(officer, child)
    services.episode_update(actor=officer, episode=episode, expected_version=1, place_name="Nơi khác")
    stale = DetentionEpisode.objects.get(pk=episode.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.episode_update(actor=officer, episode=stale, expected_version=1, place_name="Lần ba")
    with pytest.raises(VersionRequired):
        services.episode_update(actor=officer, episode=stale, expected_version=None, place_name="Lần ba")
    episode.refresh_from_db()
    assert episode.place_name == "Nơi khác"
    assert episode.version == 2


def test_family_visits_fall_within_the_episode(world):
    _agency, officer, _p, child = world
    episode = record(officer, child, ended_on=D(2025, 4, 30))
    services.family_visit_record(actor=officer, episode=episode, visited_on=D(2025, 4, 30))
    with pytest.raises(ValidationFailed):
        services.family_visit_record(actor=officer, episode=episode, visited_on=D(2025, 5, 1))
    with pytest.raises(ValidationFailed):
        services.family_visit_record(actor=officer, episode=episode, visited_on=D(2025, 3, 1))
    assert FamilyVisit.objects.count() == 1


def test_officer_of_another_province_cannot_record_and_viewers_cannot_write(world):
    _agency, _officer, _p, child = world
    far = f.officer(f.police_agency("79"))
    with pytest.raises(NotFound):
        record(far, child)
    from shield.accounts.roles import Role
    from shield.accounts.tests.factories import member

    statistician = member(Role.STATISTICIAN, agency=child.proceeding.holding_agency)
    with pytest.raises(PermissionRefused):
        record(statistician, child)
    assert not DetentionEpisode.objects.exists()
