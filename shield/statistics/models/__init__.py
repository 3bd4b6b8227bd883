"""Statistics models: each part's models in a module of its own, re-exported here."""

from shield.statistics.models.releases import Release, ReleaseStatus

__all__ = ["Release", "ReleaseStatus"]
