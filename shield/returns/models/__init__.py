"""The returns app's models, one module per part, re-exported here."""

from shield.returns.models.alerts import MetAgainSource, RevictimisationAlert
from shield.returns.models.followup import (
    FollowUp,
    FollowUpStatus,
    NoContactReason,
    PlanStatus,
    ReintegrationInstrument,
    ReintegrationPlan,
)
from shield.returns.models.reception import (
    Disposition,
    ReceptionEvent,
    ReceptionMember,
    ReceptionOfficer,
    ReceptionStatus,
    ReceptionSupport,
)
from shield.returns.models.returns import (
    Return,
    ReturnChannel,
    ReturnHow,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)

__all__ = [
    "Disposition",
    "FollowUp",
    "FollowUpStatus",
    "MetAgainSource",
    "NoContactReason",
    "PlanStatus",
    "ReceptionEvent",
    "ReceptionMember",
    "ReceptionOfficer",
    "ReceptionStatus",
    "ReceptionSupport",
    "ReintegrationInstrument",
    "ReintegrationPlan",
    "Return",
    "ReturnChannel",
    "ReturnHow",
    "ReturnStatus",
    "RevictimisationAlert",
    "VerificationRequest",
    "VerificationStatus",
]
