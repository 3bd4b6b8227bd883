"""Which model scored a run, and why: the file's own (trained) or the shipped reference model.

A model is trained from the file's own matches: the deterministic rules estimate how many pairs
match (λ), and EM learns from the pairs its sessions see how matches agree (the m probabilities).
A file with no duplicates has no matches to learn either from. That is the first day of every
deployment, so it is a normal input, not an error: Splink would estimate λ = 0 and the first EM
session would die on log(0). Such a file gets the reference model instead, which was trained on
Vietnamese records and needs nothing from the file but its name frequencies. The run says so
(`DedupeResult.model_source`, `model_note`), and it is what such a file should get anyway: with
no duplicates, EM can only learn from namesakes, i.e. learn what a non-match looks like.

`NothingToLearn` is raised for lack of evidence only, on conditions checked here by name; any
other error in training is a bug and is not caught.
"""

import logging
from dataclasses import dataclass
from typing import Any, Literal

ModelSource = Literal["trained", "reference", "none"]

# The message with which Splink refuses a λ estimate when the deterministic rules match more pairs
# than the assumed recall allows (in a file of copies of one person every pair matches).
_TOO_MANY_MATCHES = "Deterministic matching rules led to more observed matches"
# How Splink's EM stops when it diverges: an m or u probability driven below what a float holds
# (a level seen in no pair of the session, on a file of few distinct people), or the session's own
# share of matches driven to 0 or 1 (the log of the prior is then undefined).
_EM_DIVERGED = ("m_probability value", "u_probability value", "math domain error")


# Why a run did not train its own model: a stable code (the Django side translates it) → the
# English words (the CLI prints them).
REASONS = {
    "few_records": "fewer than two records: nothing to compare",
    "small_file": "too small a file to train its own model",
    "no_matches": "too little to train on (no pairs matched the training rules)",
    "all_matches": "too little to train on (almost every pair matched the training rules)",
    "no_em_pairs": "too little to train on (no training session found pairs it could learn from)",
}


class NothingToLearn(Exception):
    """Training found too little evidence to learn from; `reason` is a key of `REASONS`."""

    def __init__(self, reason: str) -> None:
        super().__init__(REASONS[reason])
        self.reason = reason


@dataclass(frozen=True)
class ModelChoice:
    source: ModelSource
    # A key of `REASONS`; empty for a trained model.
    reason: str = ""

    @property
    def note(self) -> str:
        return REASONS.get(self.reason, "")


TRAINED = ModelChoice("trained")
NO_MODEL = ModelChoice("none", "few_records")
SMALL_FILE = ModelChoice("reference", "small_file")


def em_diverged(error: ValueError) -> bool:
    """Whether `error`, raised by an EM session, is EM diverging on too little evidence (rather
    than a bug)."""
    message = str(error)
    return message == "math domain error" or (
        message.startswith(_EM_DIVERGED[:2]) and "below the minimum allowed" in message
    )


def estimate_prior(linker: Any, rules: list[Any], recall: float) -> None:
    """λ from the deterministic rules (Splink's estimate), or `NothingToLearn` when they matched
    no pair (λ would be 0), or so many that the estimate means nothing (λ at or near 1)."""
    # Splink warns that no match "is usually in error"; here it is a normal file, handled below.
    splink_training = logging.getLogger("splink.internals.linker_components.training")
    level = splink_training.level
    splink_training.setLevel(logging.ERROR)
    try:
        linker.training.estimate_probability_two_random_records_match(rules, recall=recall)
    except ValueError as error:
        if str(error).startswith(_TOO_MANY_MATCHES):
            raise NothingToLearn("all_matches") from error
        raise
    finally:
        splink_training.setLevel(level)
    prior = float(linker._settings_obj._probability_two_random_records_match)
    if prior <= 0:
        raise NothingToLearn("no_matches")
    if prior >= 1:
        raise NothingToLearn("all_matches")
