"""The justice app's models, one module per part, re-exported here."""

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
    ProceedingReferenceCounter,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)

__all__ = [
    "FamilyMatter",
    "HoldingRole",
    "JusticeAssignment",
    "Party",
    "PartyOutcome",
    "PartyRole",
    "Proceeding",
    "ProceedingHolding",
    "ProceedingKind",
    "ProceedingOffence",
    "ProceedingReferenceCounter",
    "ProceedingStatus",
    "ProceedingStep",
    "StepKind",
]
