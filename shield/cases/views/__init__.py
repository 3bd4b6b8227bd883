"""Pages of cases: the list, opening a case, the case page with its tabs, and its PDF summary.

Thin, as everywhere: each view checks the page's permission (403, audited), reads the case through
`shield.cases.selectors` (another agency's case answers 404), validates a form, calls one service
and renders. Every read of a case's details is audited as a `view`, the PDF as an `export`.
"""

from shield.cases.views.detail import (
    case_detail,
    case_pdf,
    case_reopen,
    case_risk,
    case_transition,
    case_worker,
    commune_options,
)
from shield.cases.views.lists import case_create, case_list
from shield.cases.views.queues import approval_list
from shield.cases.views.records import (
    action_add,
    action_cancel,
    action_complete,
    assessment_add,
    closure_approve,
    closure_request,
    closure_return,
    consent_add,
    consent_withdraw,
    goal_add,
    identification_add,
    note_add,
    place_add,
    place_remove,
    plan_approve,
    plan_create,
    plan_return,
    plan_submit,
    trafficking_details_save,
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
)

__all__ = [
    "action_add",
    "action_cancel",
    "action_complete",
    "approval_list",
    "assessment_add",
    "case_create",
    "case_detail",
    "case_list",
    "case_pdf",
    "case_reopen",
    "case_risk",
    "case_transition",
    "case_worker",
    "closure_approve",
    "closure_request",
    "closure_return",
    "commune_options",
    "consent_add",
    "consent_withdraw",
    "goal_add",
    "identification_add",
    "note_add",
    "place_add",
    "place_remove",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_submit",
    "trafficking_details_save",
    "transfer_accept",
    "transfer_cancel",
    "transfer_decline",
    "transfer_request",
]
