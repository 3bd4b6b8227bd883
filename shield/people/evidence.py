"""One scale of words for how much a piece of evidence says about two records being one person.

Weights are in bits: log2 of the Bayes factor, so 1 bit = twice as likely if the same person, 4 bits
= 16 times. The linkage review (the engine's weights) and the registry's "possibly the same person"
list (its index scores, on the same footing) both describe evidence through `strength_of`, so the
same weight never reads as two different things. The word is chosen on the weight as shown (one
decimal), so a row showing "1.0" cannot read "little either way" beside another showing "1.3" as
"for the same person".
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

STRONG_BITS = 4.0
SOME_BITS = 1.0


@dataclass(frozen=True)
class Strength:
    key: str  # strong-for, some-for, neutral, against, strong-against: for styling
    label: str


def strength_of(bits: float) -> Strength:
    """The words for a weight in bits (log2 Bayes factor), on the one scale."""
    shown = round(bits, 1)
    if shown >= STRONG_BITS:
        return Strength("strong-for", _("strongly for the same person"))
    if shown >= SOME_BITS:
        return Strength("some-for", _("for the same person"))
    if shown > -SOME_BITS:
        return Strength("neutral", _("little either way"))
    if shown > -STRONG_BITS:
        return Strength("against", _("against the same person"))
    return Strength("strong-against", _("strongly against the same person"))
