"""The justice app's models, one module per part, re-exported here."""

from shield.justice.models.detention import (
    PRE_SENTENCE_KINDS,
    DetentionEpisode,
    DetentionKind,
    FamilyVisit,
    PlaceKind,
)
from shield.justice.models.proceedings import (
    FamilyMatter,
    HoldingRole,
    JusticeAssignment,
    Party,
    PartyOutcome,
    PartyRole,
    Proceeding,
    ProceedingHolding,
    ProceedingKind,
    ProceedingOffence,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)

__all__ = [
    "PRE_SENTENCE_KINDS",
    "DetentionEpisode",
    "DetentionKind",
    "FamilyMatter",
    "FamilyVisit",
    "HoldingRole",
    "JusticeAssignment",
    "Party",
    "PartyOutcome",
    "PartyRole",
    "PlaceKind",
    "Proceeding",
    "ProceedingHolding",
    "ProceedingKind",
    "ProceedingOffence",
    "ProceedingStatus",
    "ProceedingStep",
    "StepKind",
]
