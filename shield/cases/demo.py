"""Synthetic cases for the demo (`manage.py demo_data`): about 30% of the demo people get one.

Runs after the people's demo. A few cases walk the real services as the demo accounts (cw.hanoi,
sup.hanoi), so their timeline, approvals, pending queues and audit trail are what the application
itself writes: a registered case, identification, a care plan waiting for approval, a closure
waiting for a supervisor, an incoming transfer for cw.angiang, a reopened case, and overdue actions
on cw.hanoi's home page. The rest are built in memory and bulk-inserted in batches, each one
consistent with its stage (the stage changes that led there, the identification decision, the
assessment, an approved plan with goals and actions, notes, a closure request), with one summary
audit event for the whole import: 30,000 cases in well under a minute.
"""

import datetime
import random
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import reset_queries
from django.utils import timezone
from tqdm import tqdm

from shield import audit
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import ROLE_PERMISSIONS, AgencyKind
from shield.audit.models import AuditAction
from shield.cases import services
from shield.cases.models import (
    ActionStatus,
    Assessment,
    AssessmentNeed,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    CarePlanStatus,
    Case,
    CaseNote,
    CaseReferenceCounter,
    CaseStageChange,
    CaseType,
    ClosureRequest,
    ClosureStatus,
    ConsentScope,
    IdentificationDecision,
    IdentificationStatus,
    NeedDomain,
    NeedLevel,
    NoteKind,
    RiskLevel,
    Stage,
    TraffickingDetails,
)
from shield.cases.services.lifecycle import format_reference
from shield.people.models import Person

CASE_SHARE = 0.30
# Cases opened over the last five years, so statistics have several years to compare.
OPENED_WITHIN_DAYS = 5 * 365
# Forms of exploitation (HTCDS values) of trafficking cases and how often each is recorded; a
# case may have two. Drawn from a generator of their own, so the other draws stay as before.
FORMS_OF_EXPLOITATION = {
    "SexualExploitation": 40,
    "ForcedLabour": 25,
    "ForcedMarriage": 20,
    "ChildLabour": 5,
    "Servitude": 3,
    "ForcedBegging": 3,
    "Surrogacy": 2,
    "Other": 2,
}
FORMS_UNRECORDED_SHARE = 0.10
BATCH_SIZE = 2_000
DEFAULT_SEED = 2026
# Cases owned by an agency without case workers go to one that has them.
FALLBACK_CASE_AGENCIES = {"spc-ha-noi": 2, "spc-an-giang": 1}

CASE_TYPES = {
    CaseType.TRAFFICKING_VICTIM: 35,
    CaseType.UNDERGOING_IDENTIFICATION: 20,
    CaseType.CHILD_VICTIM_ABUSE: 15,
    CaseType.CHILD_IN_CONFLICT: 8,
    CaseType.CHILD_WITNESS: 7,
    CaseType.AT_RISK_MIGRANT: 15,
}
TRAFFICKING_STAGES = {
    Stage.REGISTERED: 8,
    Stage.UNDERGOING_IDENTIFICATION: 10,
    Stage.IDENTIFIED_VICTIM: 6,
    Stage.NOT_A_VICTIM: 6,
    Stage.ASSESSMENT: 10,
    Stage.CARE_PLAN: 10,
    Stage.SERVICES: 20,
    Stage.REINTEGRATION: 15,
    Stage.CLOSED: 12,
    Stage.REOPENED: 3,
}
OTHER_STAGES = {
    Stage.REGISTERED: 10,
    Stage.ASSESSMENT: 15,
    Stage.CARE_PLAN: 15,
    Stage.SERVICES: 25,
    Stage.REINTEGRATION: 15,
    Stage.CLOSED: 15,
    Stage.REOPENED: 5,
}
# The stages a case passes through to reach each stage (after registered).
_TRAFFICKING_PATH = [
    Stage.UNDERGOING_IDENTIFICATION,
    Stage.IDENTIFIED_VICTIM,
    Stage.ASSESSMENT,
    Stage.CARE_PLAN,
    Stage.SERVICES,
    Stage.REINTEGRATION,
]
_OTHER_PATH = [Stage.ASSESSMENT, Stage.CARE_PLAN, Stage.SERVICES, Stage.REINTEGRATION]

NOTES = [
    (NoteKind.CONTACT, "Gọi điện hỏi thăm, em nói đã ổn định và muốn đi học nghề."),
    (NoteKind.HOME_VISIT, "Thăm gia đình tại xã; mẹ đồng ý để em ở nhà, cần hỗ trợ sinh kế."),
    (NoteKind.INTERVIEW, "Phỏng vấn lần đầu cùng cán bộ xã hội; em kể lại hành trình, không hỏi lặp lại."),
    (
        NoteKind.CASE_CONFERENCE,
        "Họp liên ngành: công an, trung tâm bảo trợ và Hội phụ nữ thống nhất kế hoạch.",
    ),
    (NoteKind.CONTACT, "Nhắn tin qua Zalo để hẹn lịch khám sức khỏe."),
    (NoteKind.OTHER, "Đã nhận hồ sơ giấy tờ tùy thân cấp lại."),
]
GOALS = [
    (
        NeedDomain.SAFETY,
        "Ở nơi an toàn, không bị kẻ buôn người liên lạc",
        "Bố trí chỗ ở tại Ngôi nhà Bình yên",
    ),
    (NeedDomain.HEALTH, "Được khám và điều trị sức khỏe", "Khám sức khỏe tổng quát tại bệnh viện tỉnh"),
    (NeedDomain.PSYCHOSOCIAL, "Ổn định tâm lý", "Tư vấn tâm lý 4 buổi"),
    (NeedDomain.EDUCATION, "Quay lại trường hoặc học nghề", "Đăng ký lớp học nghề may"),
    (NeedDomain.LEGAL, "Được trợ giúp pháp lý", "Giới thiệu đến Trung tâm trợ giúp pháp lý"),
    (NeedDomain.DOCUMENTATION, "Có lại giấy tờ tùy thân", "Làm lại căn cước công dân"),
]
CLOSURE_REASONS = [
    "Tái hòa nhập ổn định sau 12 tháng theo dõi.",
    "Không phải nạn nhân; đã giới thiệu dịch vụ phù hợp.",
    "Chuyển đến tỉnh khác, gia đình nhận chăm sóc.",
]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _case_workers(agency: Agency) -> list[User]:
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "cases.edit" in perms]
    members = Membership.objects.filter(agency=agency, is_active=True, role__in=roles).select_related("user")
    return [m.user for m in members.order_by("created_at")]


def _supervisors(agency: Agency) -> list[User]:
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "cases.supervise" in perms]
    members = Membership.objects.filter(agency=agency, is_active=True, role__in=roles).select_related("user")
    return [m.user for m in members.order_by("created_at")]


@dataclass
class _Batch:
    cases: list[Case] = field(default_factory=list)
    changes: list[CaseStageChange] = field(default_factory=list)
    decisions: list[IdentificationDecision] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    needs: list[AssessmentNeed] = field(default_factory=list)
    plans: list[CarePlan] = field(default_factory=list)
    goals: list[CarePlanGoal] = field(default_factory=list)
    actions: list[CarePlanAction] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    closures: list[ClosureRequest] = field(default_factory=list)
    details: list[TraffickingDetails] = field(default_factory=list)

    def save(self) -> None:
        for model, rows in (
            (Case, self.cases),
            (CaseStageChange, self.changes),
            (IdentificationDecision, self.decisions),
            (Assessment, self.assessments),
            (AssessmentNeed, self.needs),
            (CarePlan, self.plans),
            (CarePlanGoal, self.goals),
            (CarePlanAction, self.actions),
            (CaseNote, self.notes),
            (ClosureRequest, self.closures),
            (TraffickingDetails, self.details),
        ):
            model._default_manager.bulk_create(rows, batch_size=1_000)  # type: ignore[arg-type]
        # demo_data runs with DEBUG on, when Django keeps every query's SQL: a million rows of
        # inserts would otherwise stay in memory until the command ends.
        reset_queries()


class _Builder:
    """Builds one case and what its stage presupposes, in memory."""

    def __init__(
        self, rng: random.Random, now: datetime.datetime, staff: dict[Any, tuple[list[User], list[User]]]
    ):
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.staff = staff  # agency id → (case workers, supervisors)
        self.numbers: Counter[tuple[Any, int]] = Counter()
        # Seeded from the main generator's state without drawing from it.
        self.forms_rng = random.Random(f"{rng.getstate()[1][:8]}:forms")  # noqa: S311 (synthetic data)

    def _times(self, opened: datetime.datetime, steps: int) -> list[datetime.datetime]:
        """`steps` increasing moments between opening and now."""
        span = max((self.now - opened).total_seconds(), 3600.0)
        return sorted(opened + datetime.timedelta(seconds=self.rng.uniform(60, span)) for _ in range(steps))

    def build(
        self, batch: _Batch, person_id: Any, agency: Agency, start_numbers: dict[tuple[Any, int], int]
    ) -> None:
        rng = self.rng
        case_type = rng.choices(list(CASE_TYPES), list(CASE_TYPES.values()))[0]
        trafficking = case_type in (CaseType.TRAFFICKING_VICTIM, CaseType.UNDERGOING_IDENTIFICATION)
        weights = TRAFFICKING_STAGES if trafficking else OTHER_STAGES
        stage = rng.choices(list(weights), list(weights.values()))[0]
        workers, supervisors = self.staff[agency.pk]
        worker = rng.choice(workers)
        supervisor = supervisors[0] if supervisors else worker
        opened = self.now - datetime.timedelta(days=rng.uniform(0.2, OPENED_WITHIN_DAYS))
        reported = opened - datetime.timedelta(hours=rng.uniform(0, 72))
        year = timezone.localtime(opened).year
        key = (agency.pk, year)
        self.numbers[key] += 1
        reference = format_reference(agency.code, year, start_numbers.get(key, 0) + self.numbers[key])

        # The path of stages that led here.
        path: list[Stage] = []
        if stage == Stage.NOT_A_VICTIM:
            path = [Stage.UNDERGOING_IDENTIFICATION, Stage.NOT_A_VICTIM]
        elif stage in (Stage.CLOSED, Stage.REOPENED):
            full = _TRAFFICKING_PATH if trafficking else _OTHER_PATH
            last = (
                rng.choice([Stage.NOT_A_VICTIM, Stage.REINTEGRATION]) if trafficking else Stage.REINTEGRATION
            )
            path = (
                [Stage.UNDERGOING_IDENTIFICATION, Stage.NOT_A_VICTIM]
                if last == Stage.NOT_A_VICTIM
                else list(full)
            )
            path.append(Stage.CLOSED)
            if stage == Stage.REOPENED:
                path.append(Stage.REOPENED)
        elif stage != Stage.REGISTERED:
            full = _TRAFFICKING_PATH if trafficking else _OTHER_PATH
            path = full[: full.index(Stage(stage)) + 1]
        times = self._times(opened, len(path) + 2)
        closing = times[path.index(Stage.CLOSED)] if Stage.CLOSED in path else None

        case = Case(
            id=_uuid(rng),
            reference=reference,
            person_id=person_id,
            case_type=case_type,
            owner_agency=agency,
            assigned_worker=worker if rng.random() < 0.85 else None,
            risk_level=rng.choices(list(RiskLevel), [25, 45, 22, 8])[0],
            stage=stage,
            reported_at=reported,
            opened_at=opened,
            closed_at=closing if stage == Stage.CLOSED else None,
            closure_reason="",
            created_by=worker,
        )
        batch.cases.append(case)
        previous: Stage = Stage.REGISTERED
        for when, step in zip(times, path, strict=False):
            batch.changes.append(
                CaseStageChange(
                    id=_uuid(rng),
                    case=case,
                    from_stage=previous,
                    to_stage=step,
                    changed_by=supervisor if step == Stage.CLOSED else worker,
                    changed_at=when,
                    reason=rng.choice(CLOSURE_REASONS) if step == Stage.CLOSED else "",
                )
            )
            previous = step
        if closing is not None:
            reason = CLOSURE_REASONS[1] if Stage.NOT_A_VICTIM in path else CLOSURE_REASONS[0]
            if stage == Stage.CLOSED:
                case.closure_reason = reason
            batch.closures.append(
                ClosureRequest(
                    id=_uuid(rng),
                    case=case,
                    requested_by=worker,
                    reason=reason,
                    status=ClosureStatus.APPROVED,
                    decided_by=supervisor,
                    decided_at=closing,
                )
            )
        if Stage.UNDERGOING_IDENTIFICATION in path:
            status = (
                IdentificationStatus.NOT_A_VICTIM
                if Stage.NOT_A_VICTIM in path
                else IdentificationStatus.IDENTIFIED
                if Stage.IDENTIFIED_VICTIM in path
                else IdentificationStatus.POSSIBLE
            )
            batch.decisions.append(
                IdentificationDecision(
                    id=_uuid(rng),
                    case=case,
                    status=status,
                    body_name=rng.choice(["Công an tỉnh", "Đồn Biên phòng cửa khẩu", "Ủy ban nhân dân xã"]),
                    body_type=rng.choice(
                        [AgencyKind.POLICE_PROVINCIAL, AgencyKind.BORDER_GUARD, AgencyKind.COMMUNE_COMMITTEE]
                    ),
                    decided_on=timezone.localdate(times[0]),
                    basis="Xác minh lời khai và giấy tờ (dữ liệu mô phỏng).",
                    documents=["Biên bản xác minh ban đầu"],
                    recorded_by=worker,
                )
            )
        if trafficking:
            self._details(batch, case, worker)
        if Stage.ASSESSMENT in path:
            self._assessment(batch, case, worker, times[path.index(Stage.ASSESSMENT)])
        if Stage.CARE_PLAN in path:
            approved = Stage.SERVICES in path
            self._plan(batch, case, worker, supervisor, times[path.index(Stage.CARE_PLAN)], approved=approved)
        for _ in range(rng.randint(0, 3)):
            kind, body = rng.choice(NOTES)
            batch.notes.append(
                CaseNote(
                    id=_uuid(rng),
                    case=case,
                    author=worker,
                    kind=kind,
                    body=body,
                    occurred_at=rng.choice(times),
                )
            )

    def _details(self, batch: _Batch, case: Case, worker: User) -> None:
        """What happened, in HTCDS terms: one or two forms of exploitation (none for a few)."""
        rng = self.forms_rng
        if rng.random() < FORMS_UNRECORDED_SHARE:
            return
        forms = rng.choices(list(FORMS_OF_EXPLOITATION), list(FORMS_OF_EXPLOITATION.values()), k=2)
        chosen = sorted(set(forms if rng.random() < 0.2 else forms[:1]))
        batch.details.append(
            TraffickingDetails(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                case=case,
                forms_of_exploitation=chosen,
                updated_by=worker,
            )
        )

    def _assessment(self, batch: _Batch, case: Case, worker: User, when: datetime.datetime) -> None:
        assessment = Assessment(
            id=_uuid(self.rng),
            case=case,
            assessed_on=timezone.localdate(when),
            assessed_by=worker,
            summary="",
        )
        batch.assessments.append(assessment)
        for domain in self.rng.sample(list(NeedDomain), 4):
            level = self.rng.choices(list(NeedLevel), [20, 30, 30, 20])[0]
            batch.needs.append(
                AssessmentNeed(
                    id=_uuid(self.rng), assessment=assessment, domain=domain, level=level, notes=""
                )
            )

    def _plan(
        self,
        batch: _Batch,
        case: Case,
        worker: User,
        supervisor: User,
        when: datetime.datetime,
        *,
        approved: bool,
    ) -> None:
        rng = self.rng
        status = (
            CarePlanStatus.APPROVED
            if approved
            else rng.choice([CarePlanStatus.DRAFT, CarePlanStatus.SUBMITTED])
        )
        plan = CarePlan(
            id=_uuid(rng),
            case=case,
            status=status,
            created_by=worker,
            submitted_by=worker if status != CarePlanStatus.DRAFT else None,
            submitted_at=when if status != CarePlanStatus.DRAFT else None,
            approved_by=supervisor if approved else None,
            approved_at=when + datetime.timedelta(hours=rng.uniform(1, 48)) if approved else None,
        )
        batch.plans.append(plan)
        for domain, goal_text, action_text in rng.sample(GOALS, 2):
            goal = CarePlanGoal(id=_uuid(rng), plan=plan, domain=domain, description=goal_text)
            batch.goals.append(goal)
            due = timezone.localdate(when) + datetime.timedelta(days=rng.randint(7, 120))
            status_action = ActionStatus.OPEN
            done_on = None
            # Past actions are done, but for a few of the last fortnight's, still open (overdue).
            if approved and due < self.today and ((self.today - due).days > 14 or rng.random() < 0.8):
                status_action, done_on = ActionStatus.DONE, due
            batch.actions.append(
                CarePlanAction(
                    id=_uuid(rng),
                    goal=goal,
                    description=action_text,
                    due_on=due,
                    responsible_agency=case.owner_agency,
                    responsible_person=case.assigned_worker,
                    status=status_action,
                    done_on=done_on,
                )
            )


def _case_agencies() -> tuple[dict[Any, Agency], dict[Any, tuple[list[User], list[User]]], list[Agency]]:
    """Agencies with case workers (by id), their staff, and the fallback agencies for the others."""
    staff: dict[Any, tuple[list[User], list[User]]] = {}
    agencies: dict[Any, Agency] = {}
    for agency in Agency.objects.filter(is_active=True):
        workers = _case_workers(agency)
        if workers:
            agencies[agency.pk] = agency
            staff[agency.pk] = (workers, _supervisors(agency))
    fallback = [a for a in agencies.values() if a.code in FALLBACK_CASE_AGENCIES] or list(agencies.values())
    return agencies, staff, fallback


def load(*, options: dict[str, Any], out: TextIO) -> None:
    wanted = int(options.get("persons") or 0)
    if wanted <= 0:
        return
    agencies, staff, fallback = _case_agencies()
    if not agencies:
        out.write("Cases: no agency with case workers; no cases added.\n")
        return
    rng = random.Random(f"{options.get('persons_seed', DEFAULT_SEED)}:cases:{Case.objects.count()}")  # noqa: S311
    # The people this run added (newest first) that have no case yet; about 30% of them get one.
    candidates = list(
        Person.objects.filter(cases__isnull=True)
        .order_by("-created_at", "id")
        .values("id", "owner_agency_id")[:wanted]
    )
    chosen = [p for p in candidates if rng.random() < CASE_SHARE]
    walked = _walk_services(chosen)
    chosen = [p for p in chosen if p["id"] not in walked]
    now = timezone.now()
    builder = _Builder(rng, now, staff)
    start_numbers = {
        (c.agency_id, c.year): c.last_number
        for c in CaseReferenceCounter.objects.filter(agency_id__in=list(agencies))
    }
    fallback_weights = [FALLBACK_CASE_AGENCIES.get(a.code, 1) for a in fallback]
    per_stage: Counter[str] = Counter()

    with tqdm(total=len(chosen), desc="cases", unit=" cases", file=sys.stderr, mininterval=1.0) as progress:
        for start in range(0, len(chosen), BATCH_SIZE):
            batch = _Batch()
            for row in chosen[start : start + BATCH_SIZE]:
                agency = agencies.get(row["owner_agency_id"]) or rng.choices(fallback, fallback_weights)[0]
                builder.build(batch, row["id"], agency, start_numbers)
            batch.save()
            per_stage.update(c.stage for c in batch.cases)
            progress.update(len(batch.cases))
    _save_counters(builder.numbers, start_numbers)
    if chosen:
        audit.record(
            action=AuditAction.IMPORT,
            object_type=Case._meta.label_lower,
            reason=f"Demo data: {len(chosen)} synthetic cases",
        )
    overdue = _overdue_for_demo_worker(rng)
    stages = ", ".join(f"{stage} {count}" for stage, count in per_stage.most_common())
    out.write(
        f"\nCases: {len(chosen) + len(walked)} synthetic cases ({len(walked)} through the services); "
        f"by stage: {stages}; {overdue} overdue actions for cw.hanoi\n"
    )


def _save_counters(numbers: Counter[tuple[Any, int]], start: dict[tuple[Any, int], int]) -> None:
    for (agency_id, year), added in numbers.items():
        CaseReferenceCounter.objects.update_or_create(
            agency_id=agency_id, year=year, defaults={"last_number": start.get((agency_id, year), 0) + added}
        )


def _overdue_for_demo_worker(rng: random.Random) -> int:
    """Make a few of cw.hanoi's open actions in running plans overdue, for the home page."""
    user = User.objects.filter(username="cw.hanoi").first()
    if user is None:
        return 0
    today = timezone.localdate()
    open_actions = CarePlanAction.objects.filter(
        status=ActionStatus.OPEN,
        goal__plan__status=CarePlanStatus.APPROVED,
        goal__plan__case__assigned_worker=user,
        goal__plan__case__stage__in=[Stage.SERVICES, Stage.REINTEGRATION],
    )
    for action in open_actions.order_by("id")[:6]:
        action.due_on = today - datetime.timedelta(days=rng.randint(1, 20))
        action.save(update_fields=["due_on", "updated_at"])
    return CarePlanAction.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=today, goal__plan__case__assigned_worker=user
    ).count()


def _walk_services(chosen: list[Any]) -> set[Any]:
    """A few cases made through the real services as the demo accounts, so their timelines, queues
    and audit trail are the application's own. Returns the ids of the persons used."""
    worker = User.objects.filter(username="cw.hanoi").first()
    supervisor = User.objects.filter(username="sup.hanoi").first()
    receiver = User.objects.filter(username="cw.angiang").first()
    if worker is None or supervisor is None or worker.primary_agency is None:
        return set()
    home = worker.primary_agency
    own = [p for p in chosen if p["owner_agency_id"] == home.pk][:7]
    persons = list(Person.objects.filter(pk__in=[p["id"] for p in own]).order_by("id"))
    if len(persons) < 7:
        return set()
    today = timezone.localdate()
    past = timezone.now() - datetime.timedelta(days=5)

    def open_(person: Person, case_type: str = CaseType.TRAFFICKING_VICTIM) -> Case:
        return services.case_open(
            actor=worker,
            person=person,
            case_type=case_type,
            owner_agency=home,
            reported_at=past,
            assigned_worker=worker,
        )

    def identify(case: Case, status: str = IdentificationStatus.IDENTIFIED) -> Case:
        services.identification_decide(
            actor=worker,
            case=case,
            status=status,
            body_name="Công an thành phố Hà Nội",
            body_type=AgencyKind.POLICE_PROVINCIAL,
            decided_on=today,
            basis="Xác minh lời khai (dữ liệu mô phỏng).",
        )
        return Case.objects.get(pk=case.pk)

    def plan_for(case: Case, *, submit: bool, approve: bool, overdue: bool) -> Case:
        services.assessment_record(
            actor=worker,
            case=case,
            needs={NeedDomain.SAFETY: NeedLevel.HIGH, NeedDomain.HEALTH: NeedLevel.MEDIUM},
        )
        case = Case.objects.get(pk=case.pk)
        case = services.case_transition(
            actor=worker, case=case, to_stage=Stage.ASSESSMENT, expected_version=case.version
        )
        case = services.case_transition(
            actor=worker, case=case, to_stage=Stage.CARE_PLAN, expected_version=case.version
        )
        plan = services.care_plan_create(actor=worker, case=case)
        goal = services.care_plan_goal_add(
            actor=worker, plan=plan, description="Ở nơi an toàn", domain=NeedDomain.SAFETY, expected_version=1
        )
        action = services.care_plan_action_add(
            actor=worker,
            goal=goal,
            description="Bố trí chỗ ở tại Ngôi nhà Bình yên",
            due_on=today + datetime.timedelta(days=14),
            responsible_agency=home,
            responsible_person=worker,
            expected_version=2,
        )
        if submit:
            plan = services.care_plan_submit(actor=worker, plan=plan, expected_version=3)
        if approve:
            services.care_plan_approve(actor=supervisor, plan=plan, expected_version=plan.version)
            case = services.case_transition(
                actor=worker, case=case, to_stage=Stage.SERVICES, expected_version=case.version
            )
        if overdue:
            # Time passes in the demo: the action, planned a fortnight ahead, is now three days late
            # (a due date in the past is refused on entry).
            action.due_on = today - datetime.timedelta(days=3)
            action.save(update_fields=["due_on", "updated_at"])
        return case

    open_(persons[0])  # registered: the 3-day verification clock runs
    identify(open_(persons[1]), IdentificationStatus.POSSIBLE)
    plan_for(identify(open_(persons[2])), submit=True, approve=True, overdue=True)
    plan_for(identify(open_(persons[3])), submit=True, approve=False, overdue=False)  # waits for sup.hanoi
    not_victim = identify(
        open_(persons[4], CaseType.UNDERGOING_IDENTIFICATION), IdentificationStatus.NOT_A_VICTIM
    )
    services.closure_request(
        actor=worker, case=not_victim, reason="Không phải nạn nhân; đã giới thiệu dịch vụ."
    )
    moving = open_(persons[5], CaseType.CHILD_VICTIM_ABUSE)
    if receiver is not None and receiver.primary_agency is not None:
        services.consent_record(
            actor=worker,
            case=moving,
            scope=ConsentScope.SHARE_WITH_AGENCY,
            shared_with_agency=receiver.primary_agency,
            given_by="guardian",
            guardian_name="Nguyễn Thị Lan",
            given_on=today,
        )
        services.transfer_request(
            actor=worker,
            case=moving,
            to_agency=receiver.primary_agency,
            reason="Gia đình chuyển về An Giang.",
        )
    reopened = plan_for(identify(open_(persons[6])), submit=True, approve=True, overdue=False)
    request = services.closure_request(actor=worker, case=reopened, reason="Tái hòa nhập ổn định.")
    reopened = services.closure_approve(actor=supervisor, request=request)
    services.case_reopen(
        actor=worker,
        case=reopened,
        reason="Kẻ tuyển dụng liên lạc lại qua Zalo.",
        expected_version=reopened.version,
    )
    return {p.pk for p in persons}
