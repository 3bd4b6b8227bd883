"""Every write to cases: keyword-only, typed, one transaction each, audited in that transaction.

Split by concern; import from here (`from shield.cases import services`):
- lifecycle: `case_open`, `case_transition`, `case_reopen`, `case_assign`, `case_risk_set`, `case_update`,
  `identification_decide`, `closure_request`, `closure_approve`, `closure_return`;
- details: `trafficking_details_set`, `trafficking_place_add`, `trafficking_place_remove`;
- plans: `assessment_record`, `care_plan_create`, `care_plan_goal_add`, `care_plan_action_add`,
  `care_plan_action_complete`, `care_plan_action_cancel`, `care_plan_submit`,
  `care_plan_approve`, `care_plan_return`;
- notes: `note_add`;
- referrals: `case_open_on_referral` (a frontline officer opens a case at a receiving agency);
- consent: `consent_record`, `consent_withdraw`;
- transfer: `transfer_request`, `transfer_accept`, `transfer_decline`, `transfer_cancel`,
  `case_access_grant`, `case_access_revoke`.

Refusals are `shield.core.errors`: NotFound (a case the actor cannot see), PermissionRefused (one
they can see but may not change this way), ValidationFailed (field errors), InvalidTransition (the
stage machine or a record's state says no, with the reason), StaleVersion / VersionRequired.
"""

from shield.cases.services.consent import consent_record, consent_withdraw
from shield.cases.services.details import (
    trafficking_details_set,
    trafficking_place_add,
    trafficking_place_remove,
)
from shield.cases.services.lifecycle import (
    case_assign,
    case_open,
    case_reopen,
    case_risk_set,
    case_transition,
    case_update,
    closure_approve,
    closure_request,
    closure_return,
    identification_decide,
)
from shield.cases.services.notes import note_add
from shield.cases.services.plans import (
    NeedInput,
    assessment_record,
    care_plan_action_add,
    care_plan_action_cancel,
    care_plan_action_complete,
    care_plan_approve,
    care_plan_create,
    care_plan_goal_add,
    care_plan_return,
    care_plan_submit,
)
from shield.cases.services.referrals import case_open_on_referral
from shield.cases.services.transfer import (
    case_access_grant,
    case_access_revoke,
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
)

__all__ = [
    "NeedInput",
    "assessment_record",
    "care_plan_action_add",
    "care_plan_action_cancel",
    "care_plan_action_complete",
    "care_plan_approve",
    "care_plan_create",
    "care_plan_goal_add",
    "care_plan_return",
    "care_plan_submit",
    "case_access_grant",
    "case_access_revoke",
    "case_assign",
    "case_open",
    "case_open_on_referral",
    "case_reopen",
    "case_risk_set",
    "case_transition",
    "case_update",
    "closure_approve",
    "closure_request",
    "closure_return",
    "consent_record",
    "consent_withdraw",
    "identification_decide",
    "note_add",
    "trafficking_details_set",
    "trafficking_place_add",
    "trafficking_place_remove",
    "transfer_accept",
    "transfer_cancel",
    "transfer_decline",
    "transfer_request",
]
