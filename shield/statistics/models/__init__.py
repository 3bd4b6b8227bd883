"""Statistics models, one module per part, re-exported here."""

from shield.statistics.models.facts import CaseFact, FactRefresh

__all__ = ["CaseFact", "FactRefresh"]
