"""The statistics app's models, one module per part."""

from shield.statistics.models.facts import CaseFact, FactRefresh
from shield.statistics.models.htcds import ExportStatus, HtcdsExport
from shield.statistics.models.national_reports import NationalReport
from shield.statistics.models.population import (
    PopulationAge,
    PopulationFigure,
    PopulationSex,
    PopulationUpload,
)
from shield.statistics.models.releases import BuildState, Release, ReleaseStatus

__all__ = [
    "BuildState",
    "CaseFact",
    "ExportStatus",
    "FactRefresh",
    "HtcdsExport",
    "NationalReport",
    "PopulationAge",
    "PopulationFigure",
    "PopulationSex",
    "PopulationUpload",
    "Release",
    "ReleaseStatus",
]
