"""Demo data of the detention part, loaded by shield/justice/demo.py: detention episodes for some
child parties (police custody, temporary detention, sentences; a release with aftercare, one
child held with adults, family visits), so the detention list and the juvenile-justice
indicators have something to show.

When the proceedings part's demo has made child parties, episodes are added to theirs; on a
database without them, a few proceedings with accused children are made here first.
"""

import datetime
import random
from typing import Any, TextIO

from django.utils import timezone

from shield.accounts.models import Agency, User
from shield.justice.models import (
    DetentionEpisode,
    DetentionKind,
    FamilyVisit,
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyOutcome,
    PartyRole,
    PlaceKind,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
)
from shield.justice.proceedings.demo import demo_person

SEED = 17
OFFICER = "police.hanoi"
AGENCY = "police-ha-noi"
CONFLICT = (PartyRole.SUSPECT, PartyRole.ACCUSED, PartyRole.DEFENDANT)
CHILDREN = [
    ("Đỗ Văn Tùng", datetime.date(2009, 4, 12), "male"),
    ("Nguyễn Thị Ngọc", datetime.date(2010, 8, 3), "female"),
    ("Lò Văn Sáng", datetime.date(2008, 11, 20), "male"),
    ("Hà Thị Mỷ", datetime.date(2009, 1, 30), "female"),
    ("Vàng A Chứ", datetime.date(2010, 2, 14), "male"),
    ("Trịnh Văn Hải", datetime.date(2008, 6, 5), "male"),
]
PLACES = {
    DetentionKind.POLICE_CUSTODY: ("Nhà tạm giữ Công an phường Hoàn Kiếm", PlaceKind.POLICE_CELL),
    DetentionKind.TEMPORARY_DETENTION: ("Trại tạm giam số 1 Công an TP Hà Nội", PlaceKind.DETENTION_CENTRE),
    DetentionKind.SENTENCE: ("Trường giáo dưỡng số 2", PlaceKind.REFORMATORY_SCHOOL),
}


# The children's detention limits are in force from this day (child_rules.json).
LIMITS_FROM = datetime.date(2026, 1, 1)
EXTENSION = "Gia hạn tạm giam theo quyết định của Viện kiểm sát cùng ngày."


def _own_proceedings(officer: User, agency: Agency, out: TextIO) -> None:
    """A few proceedings with accused children, for a database without the proceedings demo."""
    now = timezone.now()
    for i, (_name, born, sex) in enumerate(CHILDREN):
        person = demo_person(actor=officer, sex=sex, born=born)
        if person is None:
            continue
        reported = now - datetime.timedelta(days=120 + 60 * i)
        proceeding = Proceeding.objects.create(
            reference=f"DEMO-DET-{now.year}-{i + 1:04d}",
            kind=ProceedingKind.CRIMINAL,
            holding_agency=agency,
            holding_role=HoldingRole.INVESTIGATION,
            reported_at=reported,
            created_by=officer,
        )
        ProceedingHolding.objects.create(
            proceeding=proceeding, agency=agency, role=HoldingRole.INVESTIGATION, started_at=reported
        )
        if i % 2 == 0:
            JusticeAssignment.objects.create(
                proceeding=proceeding, officer=officer, agency=agency, assigned_by=officer
            )
        Party.objects.create(
            proceeding=proceeding,
            person=person,
            role=PartyRole.ACCUSED,
            event_on=timezone.localdate(reported) - datetime.timedelta(days=2),
            is_child=True,
        )
    out.write(f"  justice/detention: {len(CHILDREN)} demo proceedings with accused children\n")


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if DetentionEpisode.objects.exists():
        return
    officer = User.objects.filter(username=OFFICER).first()
    agency = Agency.objects.filter(code=AGENCY).first()
    if officer is None or agency is None:
        out.write("  justice/detention: no demo justice officer, no detention episodes\n")
        return
    children = Party.objects.filter(is_child=True, role__in=CONFLICT).order_by("created_at")
    if children.count() < 3:
        _own_proceedings(officer, agency, out)
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    made = 0
    for i, party in enumerate(children[:40]):
        start = max(party.event_on + datetime.timedelta(days=1), today - datetime.timedelta(days=400))
        if start >= today:
            continue
        # Police custody for a few days, then (for most) temporary detention.
        # Within the child's custody limit (72 h: at most three days held, both counted).
        custody_end = min(start + datetime.timedelta(days=rng.randint(0, 2)), today)
        _episode(party, officer, agency, DetentionKind.POLICE_CUSTODY, start, custody_end, separated=True)
        made += 1
        if i % 3 == 2 or custody_end >= today:
            continue  # released after custody
        detention_start = custody_end + datetime.timedelta(days=1)
        if detention_start >= today:
            continue
        held = rng.randint(20, 75)
        released = detention_start + datetime.timedelta(days=held)
        still_held = released >= today or i % 4 == 0
        # Released after the 1,440 h limit (60 days): the extension as the assigned officer's
        # justification, as the service asks. Some still held past it feed the limits section.
        late = not still_held and held >= 60 and detention_start >= LIMITS_FROM
        episode = _episode(
            party,
            officer,
            agency,
            DetentionKind.TEMPORARY_DETENTION,
            detention_start,
            None if still_held else released,
            separated=i % 5 != 1,  # one child in five held with adults: indicator 7 shows it
            aftercare=None if still_held else i % 2 == 0,
            justification=EXTENSION if late else "",
        )
        made += 1
        for days in range(10, held if not still_held else (today - detention_start).days, 30):
            FamilyVisit.objects.create(
                episode=episode,
                visited_on=detention_start + datetime.timedelta(days=days),
                recorded_by=officer,
            )
        if not still_held and i % 2 == 1:
            Party.objects.filter(pk=party.pk).update(
                outcome=PartyOutcome.CONVICTED, outcome_on=released, sentence_custodial=False
            )
        elif not still_held and i % 3 == 0:
            Party.objects.filter(pk=party.pk).update(outcome=PartyOutcome.DIVERTED, outcome_on=released)
    out.write(f"  justice/detention: {made} detention episodes\n")


def _episode(
    party: Party,
    officer: User,
    agency: Agency,
    kind: str,
    start: datetime.date,
    end: datetime.date | None,
    *,
    separated: bool,
    aftercare: bool | None = None,
    justification: str = "",
) -> DetentionEpisode:
    place, place_kind = PLACES[DetentionKind(kind)]
    return DetentionEpisode.objects.create(
        party=party,
        kind=kind,
        place_name=place,
        place_kind=place_kind,
        started_on=start,
        ended_on=end,
        separated_from_adults=separated,
        aftercare_received=aftercare,
        aftercare_detail="Học nghề và hỗ trợ tâm lý tại địa phương" if aftercare else "",
        agency=agency,
        recorded_by=officer,
        limit_justification=justification,
        limit_justified_by=officer if justification else None,
    )
