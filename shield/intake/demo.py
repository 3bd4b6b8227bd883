"""Demo intake data (`manage.py demo_data`): a year of screenings at the five demo border gates, a
few referrals and tips through the real services, and one officer account per gate.

Routine screenings (no concern, safe-migration advice) are built in memory with the risk the
instrument gives and bulk-inserted with one summary audit event; referrals go through
`screening_complete`, so each has its person, its case "undergoing identification" and the notice on
the receiving agency's home page. Tips include two urgent ones past their deadline at the Hà Nội
Social Protection Centre, so the overdue panel shows.
"""

import datetime
import random
from argparse import ArgumentParser
from typing import Any, TextIO

from django.utils import timezone

from shield import audit
from shield.accounts import services as account_services
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import Role, Scope
from shield.audit.models import AuditAction
from shield.intake import risk, services
from shield.intake.models import Direction, Purpose, Screening, ScreeningStatus, Tip, TravelDocumentKind
from shield.people.models import Person

# (username, first name, family and middle name, agency code)
OFFICERS = [
    ("bg.laocai", "Minh", "Hoàng Văn", "bg-lao-cai"),
    ("bg.mongcai", "Tuấn", "Đặng Văn", "bg-mong-cai"),
    ("bg.mocbai", "Phúc", "Trương Minh", "bg-moc-bai"),
    ("bg.cautreo", "Hải", "Nguyễn Đình", "bg-cau-treo"),
    ("bg.laobao", "Quang", "Lê Văn", "bg-lao-bao"),
]
DESTINATIONS = {
    "bg-lao-cai": "CN",
    "bg-mong-cai": "CN",
    "bg-moc-bai": "KH",
    "bg-cau-treo": "LA",
    "bg-lao-bao": "LA",
}
NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Nam",
    "Lò Thị Xuân",
    "Giàng A Páo",
    "Phạm Thị Thu",
    "Lê Văn Hùng",
    "Vàng Thị Mỷ",
]
ADVICE_ANSWERS: list[dict[str, Any]] = [
    {"companion_answers": True},
    {"who_paid": "recruiter"},
    {"online_offer": True},
]
TIPS = [
    (
        "hotline",
        "urgent",
        "Người gọi báo hai cô gái bị giữ tại một nhà nghỉ gần cửa khẩu, bị thu điện thoại.",
    ),
    ("online", "routine", "Tin nhắn Facebook: tuyển 20 lao động sang Campuchia, lương 30 triệu, bao vé."),
    ("walk_in", "routine", "Mẹ đến báo con gái 16 tuổi đi làm ở Trung Quốc, mất liên lạc hai tuần."),
    ("agency", "urgent", "Công an xã chuyển tin: một em trai 15 tuổi bị đưa qua biên giới đêm qua."),
    ("hotline", "routine", "Người lao động về nước kể bị giữ hộ chiếu tại khu công nghệ ở Sihanoukville."),
]
DEFAULT_SCREENINGS = 600


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--screenings",
        type=int,
        default=DEFAULT_SCREENINGS,
        help=f"Routine demo screenings over the past year at the demo gates (default {DEFAULT_SCREENINGS}).",
    )


def _officer(username: str, first: str, last: str, agency: Agency, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            actor=None, username=username, password=password, first_name=first, last_name=last
        )
    if not Membership.objects.filter(user=user, agency=agency, is_active=True).exists():
        account_services.membership_grant(
            actor=None, user=user, agency=agency, role=Role.FRONTLINE_OFFICER, scope=Scope.AGENCY
        )
    return user


def _routine(
    rng: random.Random, officer: User, agency: Agency, instrument: Any, now: datetime.datetime
) -> Screening:
    started = now - datetime.timedelta(days=rng.uniform(1, 365), minutes=rng.randint(0, 600))
    answers = rng.choice(ADVICE_ANSWERS) if rng.random() < 0.1 else {}
    purpose = rng.choice([Purpose.TOURISM, Purpose.TRADE, Purpose.FAMILY, Purpose.WORK, Purpose.RETURN])
    age = rng.randint(19, 60)
    result = risk.assess(instrument.parsed, answers, age=age, purpose=purpose)
    outcome = result.suggested_outcome
    return Screening(
        instrument=instrument,
        agency=agency,
        border_gate=agency.border_gate,
        officer=officer,
        status=ScreeningStatus.COMPLETED,
        direction=rng.choice([Direction.EXIT, Direction.EXIT, Direction.ENTRY]),
        traveller_name=rng.choice(NAMES),
        traveller_sex=rng.choice(["female", "male"]),
        traveller_age=age,
        document_kind=rng.choice([TravelDocumentKind.PASSPORT, TravelDocumentKind.BORDER_PASS]),
        document_number=f"C{rng.randint(1000000, 9999999)}",
        document_country="VN",
        destination_country=DESTINATIONS.get(agency.code, "CN"),
        purpose=purpose,
        answers=answers,
        started_at=started,
        completed_at=started + datetime.timedelta(seconds=rng.randint(50, 400)),
        risk_level=result.level,
        risk_score=result.score,
        risk_reasons=[r.as_json() for r in result.reasons],
        outcome=outcome,
    )


def _referral(officer: User, receiver: Agency, person: Person, **fields: Any) -> None:
    """A referral through the services, of a person already in the demo registry: the people's demo
    owns the registry, so intake registers nobody and the people's figures stay as that demo says."""
    screening = services.screening_start(actor=officer)
    data = {"traveller_name": person.full_name, "traveller_sex": person.sex, **fields}
    screening = services.screening_save_draft(
        actor=officer, screening=screening, expected_version=screening.version, data=data
    )
    result = services.screening_risk(screening)
    services.screening_complete(
        actor=officer,
        screening=screening,
        expected_version=screening.version,
        outcome=result.suggested_outcome,
        receiving_agency=receiver,
        person=person,
    )


def load(*, options: dict[str, Any], out: TextIO) -> None:
    instrument = services.instrument_ensure_first()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[o[3] for o in OFFICERS] + ["spc-ha-noi"])}
    if len(agencies) < len(OFFICERS) + 1:
        out.write("Intake: the demo agencies are missing; skipped.\n")
        return
    officers = {
        code: _officer(username, first, last, agencies[code], options["password"])
        for username, first, last, code in OFFICERS
    }
    if Screening.objects.filter(agency__in=agencies.values()).exists():
        out.write("Intake: demo screenings already loaded.\n")
        return
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    gates = [code for _u, _f, _l, code in OFFICERS]
    rows = [
        _routine(rng, officers[code], agencies[code], instrument, now)
        for code in (rng.choice(gates) for _ in range(options.get("screenings", DEFAULT_SCREENINGS)))
    ]
    Screening.objects.bulk_create(rows, batch_size=1000)
    audit.record(
        action=AuditAction.IMPORT,
        object_type=Screening._meta.label_lower,
        reason=f"demo_data: {len(rows)} routine screenings",
    )
    receiver = agencies["spc-ha-noi"]
    laocai = officers["bg-lao-cai"]
    # People of the post's registry without a case yet (one case per person, as the cases' demo has it).
    pool = list(
        Person.objects.filter(owner_agency=agencies["bg-lao-cai"], cases__isnull=True).order_by(
            "name_folded", "id"
        )[:40]
    )
    referrals: list[dict[str, Any]] = [
        {"traveller_age": 22, "answers": {"documents_held": True}},
        {"traveller_age": 24, "answers": {"scam_destination": True, "online_offer": True}, "purpose": "work"},
        {"traveller_age": 15, "purpose": "work"},
    ]
    known: list[Person] = []
    for fields in referrals:
        # A person whose registered age agrees with the screening's: a child for the child's referral.
        child = fields["traveller_age"] < 18
        person = next((p for p in pool if p not in known and p.is_child() is child), None)
        if person is not None:
            known.append(person)
            _referral(laocai, receiver, person, **fields)
    tip_person = next((p for p in pool if p not in known), None)
    draft = services.screening_start(actor=officers["bg-lao-cai"])
    services.screening_save_draft(
        actor=officers["bg-lao-cai"],
        screening=draft,
        expected_version=1,
        data={"traveller_name": "Sùng Thị Lan"},
    )
    hanoi_worker = User.objects.filter(username="cw.hanoi").first() or officers["bg-lao-cai"]
    tips = 0
    for index, (channel, urgency, text) in enumerate(TIPS * 4):
        author = hanoi_worker if index % 2 == 0 else officers["bg-lao-cai"]
        received = now - datetime.timedelta(hours=3 + index * 37)
        tip = services.tip_record(
            actor=author,
            channel=channel,
            urgency=urgency,
            description=text,
            received_at=received,
            reporter_anonymous=index % 3 == 0,
            reporter_contact="" if index % 3 == 0 else f"09{rng.randint(10000000, 99999999)}",
        )
        tips += 1
        if index < 2:
            continue  # two urgent tips left waiting past their deadline
        if index % 4 == 0:
            services.tip_close(
                actor=author, tip=tip, expected_version=tip.version, reason="Trùng với tin đã nhận."
            )
        elif index % 4 == 1:
            services.tip_assign(actor=author, tip=tip, expected_version=tip.version, agency=receiver)
        elif index == 3 and tip_person is not None:
            # The post's officer sees the post's people: a case opened from the tip for one of them.
            services.tip_open_case(
                actor=laocai,
                tip=tip,
                expected_version=tip.version,
                receiving_agency=receiver,
                person=tip_person,
            )
    out.write(
        f"Intake: {len(rows) + len(known)} screenings at {len(gates)} gates "
        f"({len(known)} referrals of demo people), {tips} tips\n"
    )


def summary(*, options: dict[str, Any], out: TextIO) -> None:
    out.write(
        "\nBorder-gate officers (frontline; screenings at /intake/screenings/, tips at /intake/tips/)\n"
    )
    for username, _first, _last, code in OFFICERS:
        out.write(f"  {username:<14} {code}\n")
    overdue = Tip.objects.filter(status="new", triage_due_at__lt=timezone.now()).count()
    out.write(f"  {overdue} tips are past their triage deadline (see cw.hanoi's home page)\n")
