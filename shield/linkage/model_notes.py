"""Which model a finished run scored with, in words for the run page.

A finished run's `stage` is `finished` when it trained its own model on the registry, or
`finished:<source>:<reason>` when it did not (`engine.model_choice`: `reference` for the shipped
reference model, `none` for fewer than two persons; the reason is a key of `REASONS`). The code
is stored, not the words, so that each user reads them in their own language.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shield.linkage.engine import DedupeResult

FINISHED = "finished"

# engine.model_choice.REASONS, for people.
NOTES: dict[str, Promise] = {
    "few_records": _("Fewer than two persons in the registry: nothing to compare."),
    "small_file": _(
        "Scored with the reference model: the registry is still too small to train a model of its own."
    ),
    "no_matches": _(
        "Scored with the reference model: too little to train on (no two persons matched the "
        "training rules, so there are no duplicates to learn from)."
    ),
    "all_matches": _(
        "Scored with the reference model: too little to train on (almost every pair of persons "
        "matched the training rules)."
    ),
    "no_em_pairs": _(
        "Scored with the reference model: too little to train on (no training session found pairs "
        "of persons it could learn from)."
    ),
}


def finished_stage(result: DedupeResult) -> str:
    """The stage a finished run keeps (see the module's docstring)."""
    if result.model_source == "trained":
        return FINISHED
    return f"{FINISHED}:{result.model_source}:{result.model_reason}"


def model_note(stage: str) -> str:
    """The words for a finished run's `stage`; empty when it trained its own model."""
    parts = stage.split(":")
    if len(parts) != 3 or parts[0] != FINISHED:
        return ""
    note = NOTES.get(parts[2])
    return str(note) if note is not None else ""
