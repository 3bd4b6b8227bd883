"""The referrals app's models, one module per part, re-exported here."""

from shield.referrals.models.directory import (
    Provider,
    Service,
    ServiceArea,
    ServiceStatus,
    VictimStatusEligibility,
)
from shield.referrals.models.hsds_export import HsdsExport, HsdsExportStatus
from shield.referrals.models.referral import (
    CLOSED_STATUSES,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralStep,
    ReferralUrgency,
)
from shield.referrals.models.shelter import (
    SHELTER_SERVICE_TYPE,
    BedCategory,
    BedHold,
    BedInventory,
    DischargeDestination,
    HoldStatus,
    ShelterStay,
)
from shield.referrals.models.support import SupportDelivery

__all__ = [
    "CLOSED_STATUSES",
    "SHELTER_SERVICE_TYPE",
    "BedCategory",
    "BedHold",
    "BedInventory",
    "DischargeDestination",
    "HoldStatus",
    "HsdsExport",
    "HsdsExportStatus",
    "Provider",
    "Referral",
    "ReferralOutcome",
    "ReferralStatus",
    "ReferralStep",
    "ReferralUrgency",
    "Service",
    "ServiceArea",
    "ServiceStatus",
    "ShelterStay",
    "SupportDelivery",
    "VictimStatusEligibility",
]
