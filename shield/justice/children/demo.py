"""Demo data of the children part, loaded by shield/justice/demo.py after the proceedings part:
sessions with child witnesses and victims (two in one day, and a third refused then recorded with
a justification), and diversions of eligible accused children, one in progress and one completed.

Works on the proceedings the proceedings part's demo made: open criminal proceedings with child
parties and an assigned officer. Runs once (nothing is added when interviews already exist).
"""

import datetime
from typing import Any, TextIO

from django.utils import timezone

from shield.justice.children import rules, services
from shield.justice.models import Interview, JusticeAssignment, Party, ProceedingStatus

JUSTIFICATION = (
    "Em yêu cầu được kết thúc lời khai trong hôm nay trước khi về quê; có cán bộ xã hội và mẹ em tham gia."
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


def _officer(party: Party) -> Any:
    assignment = (
        JusticeAssignment.objects.filter(proceeding=party.proceeding, ended_at__isnull=True)
        .select_related("officer")
        .first()
    )
    return assignment.officer if assignment else None


def load(*, options: dict[str, Any], out: TextIO) -> None:
    if Interview.objects.exists():
        return
    children = list(
        Party.objects.filter(is_child=True, proceeding__status=ProceedingStatus.OPEN)
        .select_related("proceeding", "person")
        .order_by("created_at")[:200]
    )
    witnesses = [p for p in children if p.role in ("victim", "witness") and _officer(p)]
    accused = [p for p in children if p.role in rules.ACCUSED_ROLES and _officer(p)]
    if not witnesses and not accused:
        out.write("Justice children: no child party with an assigned officer; nothing added.\n")
        return
    sessions = refused = 0
    day = timezone.localdate() - datetime.timedelta(days=2)
    for index, party in enumerate(witnesses[:6]):
        officer = _officer(party)
        common: dict[str, Any] = {
            "kind": "interview",
            "place_type": "child_friendly_room",
            "child_friendly_room": True,
            "representative_present": True,
            "social_worker_present": True,
        }
        services.interview_record(
            actor=officer,
            party=party,
            started_at=_at(day, 8),
            ended_at=_at(day, 9),
            topics=["Tuyển dụng", "Hành trình"],
            recorded=True,
            recording_reference=f"GHI-{party.proceeding.reference}-1",
            **common,
        )
        services.interview_record(
            actor=officer,
            party=party,
            started_at=_at(day, 14),
            ended_at=_at(day, 15),
            topics=["Nơi làm việc"],
            **common,
        )
        sessions += 2
        if index == 0:
            try:
                services.interview_record(
                    actor=officer,
                    party=party,
                    started_at=_at(day, 17),
                    ended_at=_at(day, 17) + datetime.timedelta(minutes=40),
                    **common,
                )
            except services.RuleRefused:
                refused += 1
            services.interview_record(
                actor=officer,
                party=party,
                started_at=_at(day, 17),
                ended_at=_at(day, 17) + datetime.timedelta(minutes=40),
                topics=["Hành trình"],
                justification=JUSTIFICATION,
                **common,
            )
            sessions += 1
        else:
            services.interview_record(
                actor=officer,
                party=party,
                started_at=_at(timezone.localdate() + datetime.timedelta(days=3), 9),
                ended_at=_at(timezone.localdate() + datetime.timedelta(days=3), 10),
                status="planned",
                **common,
            )
            sessions += 1
    diverted = 0
    for party in accused:
        if diverted >= 2:
            break
        if not services.party_eligibility(party).eligible:
            continue
        officer = _officer(party)
        decided = timezone.localdate() - datetime.timedelta(days=100 if diverted == 0 else 20)
        diversion = services.diversion_decide(
            actor=officer,
            party=party,
            deciding_body="procuracy",
            decided_on=decided,
            measures=["reprimand", "education_programme", "community_service"],
            supervision_months=3,
            supervisor="Ủy ban nhân dân phường và Đoàn Thanh niên",
        )
        for report in diversion.reports.order_by("due_on"):
            if report.due_on <= timezone.localdate():
                services.diversion_report_submit(
                    actor=officer,
                    report=report,
                    expected_version=report.version,
                    compliant=True,
                    note="Chấp hành tốt.",
                )
        if diverted == 0:
            diversion.refresh_from_db()
            services.diversion_end(
                actor=officer,
                diversion=diversion,
                expected_version=diversion.version,
                completed=True,
                note="",
            )
        diverted += 1
    out.write(
        f"Justice children: {sessions} sessions ({refused} refused then justified), {diverted} diversions.\n"
    )
