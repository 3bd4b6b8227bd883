"""The stage machine of a case, as data: which stage may follow which, and the guards that say why not.

No database here. The services gather what the guards need to know about a case into `CaseFacts`
(from the database) and call `check()`; the UI asks `options()` which moves to offer and why the
others are refused. Every refusal is a sentence the user can read; `check()` raises
`InvalidTransition` with it.

    registered ─▶ undergoing_identification ─▶ identified_victim ─▶ assessment
    registered ─▶ assessment              (case types that need no trafficking identification)
    undergoing_identification ─▶ not_a_victim
    assessment ─▶ care_plan ─▶ services ─▶ reintegration   (and back: services ─▶ care_plan,
                                                            reintegration ─▶ services)
    any open stage ─▶ closed   (only through an approved closure request)
    closed ─▶ reopened         (with a reason)
    reopened ─▶ undergoing_identification | assessment | care_plan | services | reintegration
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shield.core.errors import InvalidTransition


class Stage(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UNDERGOING_IDENTIFICATION = "undergoing_identification", _("Undergoing identification")
    IDENTIFIED_VICTIM = "identified_victim", _("Identified victim")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim")
    ASSESSMENT = "assessment", _("Assessment")
    CARE_PLAN = "care_plan", _("Care plan")
    SERVICES = "services", _("Services")
    REINTEGRATION = "reintegration", _("Reintegration and follow-up")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s != Stage.CLOSED)

# Case types whose person is a possible trafficking victim: identification comes before assessment.
# (Values of models.CaseType; kept as strings so this module needs no models.)
IDENTIFICATION_CASE_TYPES = frozenset({"trafficking_victim", "undergoing_identification"})

# Values of models.IdentificationStatus.
IDENTIFIED = "identified"
NOT_A_VICTIM = "not_a_victim"


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about one case; the services read it from the database.

    `identification_status` is the status of the latest identification decision (None: none yet).
    `closure_approved` is set only by the service that applies an approved closure request.
    """

    case_type: str
    identification_status: str | None = None
    has_assessment: bool = False
    has_approved_plan: bool = False
    closure_approved: bool = False
    reason: str = ""


# A guard returns None when the move may happen, else the sentence that says why not.
Guard = Callable[[CaseFacts], Promise | None]


def needs_no_identification(facts: CaseFacts) -> Promise | None:
    if facts.case_type in IDENTIFICATION_CASE_TYPES:
        return _("A possible trafficking victim is identified before assessment: start identification first.")
    return None


def decided_identified(facts: CaseFacts) -> Promise | None:
    if facts.identification_status != IDENTIFIED:
        return _("A case becomes an identified victim only through an identification decision that says so.")
    return None


def decided_not_a_victim(facts: CaseFacts) -> Promise | None:
    if facts.identification_status != NOT_A_VICTIM:
        return _("A case becomes 'not a victim' only through an identification decision that says so.")
    return None


def not_decided_not_a_victim(facts: CaseFacts) -> Promise | None:
    if facts.identification_status == NOT_A_VICTIM:
        return _(
            "The latest identification decision says this person is not a victim: "
            "start identification again if there is new information."
        )
    return None


def has_assessment(facts: CaseFacts) -> Promise | None:
    if not facts.has_assessment:
        return _("A care plan needs an assessment first.")
    return None


def has_approved_plan(facts: CaseFacts) -> Promise | None:
    if not facts.has_approved_plan:
        return _("Services start once a supervisor has approved the care plan.")
    return None


def closure_approved(facts: CaseFacts) -> Promise | None:
    if not facts.closure_approved:
        return _("Closing needs a supervisor's approval: request closure instead.")
    return None


def has_reason(facts: CaseFacts) -> Promise | None:
    if not facts.reason.strip():
        return _("Reopening needs a reason.")
    return None


@dataclass(frozen=True)
class Transition:
    source: Stage
    target: Stage
    guards: tuple[Guard, ...] = ()


S = Stage
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.REGISTERED, S.UNDERGOING_IDENTIFICATION),
    Transition(S.REGISTERED, S.ASSESSMENT, (needs_no_identification,)),
    Transition(S.UNDERGOING_IDENTIFICATION, S.IDENTIFIED_VICTIM, (decided_identified,)),
    Transition(S.UNDERGOING_IDENTIFICATION, S.NOT_A_VICTIM, (decided_not_a_victim,)),
    Transition(S.IDENTIFIED_VICTIM, S.ASSESSMENT),
    Transition(S.ASSESSMENT, S.CARE_PLAN, (has_assessment,)),
    Transition(S.CARE_PLAN, S.SERVICES, (has_approved_plan,)),
    Transition(S.SERVICES, S.REINTEGRATION),
    # Plans are reviewed: back to planning from services, back to services from follow-up.
    Transition(S.SERVICES, S.CARE_PLAN),
    Transition(S.REINTEGRATION, S.SERVICES),
    *(Transition(source, S.CLOSED, (closure_approved,)) for source in OPEN_STAGES),
    Transition(S.CLOSED, S.REOPENED, (has_reason,)),
    Transition(S.REOPENED, S.UNDERGOING_IDENTIFICATION),
    Transition(S.REOPENED, S.ASSESSMENT, (not_decided_not_a_victim,)),
    Transition(S.REOPENED, S.CARE_PLAN, (not_decided_not_a_victim, has_assessment)),
    Transition(S.REOPENED, S.SERVICES, (not_decided_not_a_victim, has_approved_plan)),
    Transition(S.REOPENED, S.REINTEGRATION, (not_decided_not_a_victim,)),
)
del S

_BY_PAIR: dict[tuple[Stage, Stage], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    """The table's entry for this move, or None when the table has no such move."""
    try:
        return _BY_PAIR.get((Stage(source), Stage(target)))
    except ValueError:
        return None


def _label(stage: Stage) -> str:
    return str(stage.label)


def no_such_move(source: Stage, target: Stage) -> str:
    """Why a move that is not in the table is refused, in words."""
    if source == target:
        return _("The case is already at the stage “%(stage)s”.") % {"stage": _label(source)}
    if source == Stage.CLOSED:
        return str(_("A closed case must be reopened first."))
    if target == Stage.REOPENED:
        return str(_("Only a closed case can be reopened."))
    if target == Stage.REGISTERED:
        return str(_("A case cannot go back to “Registered”."))
    if target in (Stage.IDENTIFIED_VICTIM, Stage.NOT_A_VICTIM):
        return str(_("Only a case undergoing identification can be decided on."))
    if source == Stage.NOT_A_VICTIM:
        return _("A case identified as not a victim cannot go to “%(stage)s”.") % {"stage": _label(target)}
    if source == Stage.UNDERGOING_IDENTIFICATION:
        return str(_("Record the identification decision first."))
    if target == Stage.UNDERGOING_IDENTIFICATION:
        return str(_("Identification starts from a newly registered or a reopened case."))
    if target == Stage.CARE_PLAN:
        return str(_("A care plan needs an assessment first."))
    if target == Stage.SERVICES:
        return str(_("Services follow an approved care plan."))
    if target == Stage.REINTEGRATION:
        return str(_("Reintegration and follow-up come after services."))
    return _("A case cannot move from “%(source)s” to “%(target)s”.") % {
        "source": _label(source),
        "target": _label(target),
    }


def refusal(source: str, target: str, facts: CaseFacts) -> str | None:
    """None when the move may happen now; otherwise the first reason it may not."""
    try:
        src, dst = Stage(source), Stage(target)
    except ValueError:
        return str(_("Unknown stage."))
    transition = _BY_PAIR.get((src, dst))
    if transition is None:
        return no_such_move(src, dst)
    for guard in transition.guards:
        message = guard(facts)
        if message is not None:
            return str(message)
    return None


def check(source: str, target: str, facts: CaseFacts) -> Transition:
    """The transition, or InvalidTransition saying why the move is refused."""
    message = refusal(source, target, facts)
    if message is not None:
        raise InvalidTransition(message)
    transition = transition_for(source, target)
    assert transition is not None
    return transition


@dataclass(frozen=True)
class Option:
    """A move the table offers from a stage, and why it is refused now (empty when it is allowed)."""

    target: Stage
    refused_because: str

    @property
    def allowed(self) -> bool:
        return not self.refused_because


def options(source: str, facts: CaseFacts) -> list[Option]:
    """The moves the table has from `source`, each with the reason it is refused now, if any."""
    return [
        Option(t.target, refusal(t.source, t.target, facts) or "")
        for t in TRANSITIONS
        if t.source == Stage(source)
    ]
