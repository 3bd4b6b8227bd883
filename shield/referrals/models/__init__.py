"""The referrals app's models, one module per part, re-exported here."""

from shield.referrals.models.directory import (
    Provider,
    Service,
    ServiceArea,
    ServiceStatus,
    VictimStatusEligibility,
)
from shield.referrals.models.referral import (
    CLOSED_STATUSES,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    ReferralStep,
    ReferralUrgency,
)
from shield.referrals.models.shelter import (
    BedCategory,
    BedHold,
    BedInventory,
    DischargeDestination,
    HoldStatus,
    SHELTER_SERVICE_TYPE,
    ShelterStay,
)
from shield.referrals.models.support import SupportDelivery, SupportType

__all__ = [
    "BedCategory",
    "BedHold",
    "BedInventory",
    "CLOSED_STATUSES",
    "DischargeDestination",
    "HoldStatus",
    "Provider",
    "Referral",
    "ReferralOutcome",
    "ReferralStatus",
    "ReferralStep",
    "ReferralUrgency",
    "SHELTER_SERVICE_TYPE",
    "Service",
    "ServiceArea",
    "ServiceStatus",
    "ShelterStay",
    "SupportDelivery",
    "SupportType",
    "VictimStatusEligibility",
]
