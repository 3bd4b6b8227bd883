"""The statistics app's models, one module per part, re-exported here."""

from shield.statistics.models.facts import CaseFact, FactRefresh
from shield.statistics.models.htcds import ExportStatus, HtcdsExport
from shield.statistics.models.population import (
    PopulationAge,
    PopulationFigure,
    PopulationSex,
    PopulationUpload,
)
from shield.statistics.models.privacy import PrivacySpend
from shield.statistics.models.releases import BuildState, Release, ReleaseStatus

__all__ = [
    "BuildState",
    "CaseFact",
    "ExportStatus",
    "FactRefresh",
    "HtcdsExport",
    "PopulationAge",
    "PopulationFigure",
    "PopulationSex",
    "PopulationUpload",
    "PrivacySpend",
    "Release",
    "ReleaseStatus",
]
