"""Roles, scopes and what each role may do: the one table the access policy reads.

Permissions are plain strings `<app>.<capability>` so any app can check them with Django's
`user.has_perm(...)` without importing accounts. Later apps add their capabilities here.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    BORDER_GUARD = "border_guard", _("Border Guard post / border gate")
    POLICE_NATIONAL = "police_national", _("Police (national)")
    POLICE_PROVINCIAL = "police_provincial", _("Police (provincial)")
    PROCURACY = "procuracy", _("Procuracy")
    COURT = "court", _("Court")
    SOCIAL_PROTECTION = "social_protection", _("Social-protection centre")
    WOMENS_UNION = "womens_union", _("Women's Union (Peaceful House)")
    HEALTH = "health", _("Health facility")
    LEGAL_AID = "legal_aid", _("Legal-aid centre")
    EDUCATION = "education", _("Vocational or education provider")
    NGO = "ngo", _("NGO")
    INTERNATIONAL = "international", _("International organisation")
    CONSULAR = "consular", _("Embassy or consulate")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    MINISTRY = "ministry", _("Ministry or national office")


class Role(models.TextChoices):
    FRONTLINE_OFFICER = "frontline_officer", _("Frontline officer")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SERVICE_PROVIDER = "service_provider", _("Service provider staff")
    JUSTICE_OFFICER = "justice_officer", _("Justice officer")
    STATISTICIAN = "statistician", _("Statistician")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    AUDITOR = "auditor", _("Auditor")


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    AGENCY = "agency", _("Agency")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


# What each capability means, shown on the home page ("what you can do").
PERMISSION_LABELS: dict[str, Promise] = {
    "people.view": _("Look up people in the registry"),
    "people.register": _("Register people"),
    "people.see_child_names": _("See children's names in lists and exports"),
    "intake.screen": _("Screen travellers at border gates"),
    "intake.triage_tips": _("Receive and triage hotline tips"),
    "intake.publish_instruments": _("Publish new versions of the screening instrument"),
    "cases.view": _("See cases in your scope"),
    "cases.edit": _("Manage cases: identification, assessment, care plans, notes"),
    "cases.supervise": _("Approve care plans and case closures"),
    "cases.refer": _("Refer a possible victim to an agency, opening a case there"),
    "referrals.make": _("Refer people to service providers"),
    "referrals.deliver": _("Record services delivered to referred people"),
    "referrals.supervise": _("Revoke referrals, override shelter capacity, see referral figures"),
    "referrals.manage_directory": _("Keep the service directory: providers, services, capacity, beds"),
    "justice.view": _("See justice proceedings involving children"),
    "justice.edit": _("Record proceedings, interviews and diversion"),
    "justice.justify_exception": _("Justify an interview beyond a child's limits (assigned officers)"),
    "returns.view": _("See returns, receptions and reintegration follow-ups in your scope"),
    "returns.receive": _("Record returns from abroad and receptions at border gates"),
    "returns.verify": _("Answer foreign authorities' requests to verify a returnee's identity"),
    "returns.follow_up": _("Plan reintegration and record follow-ups"),
    "returns.supervise": _("Approve loss of contact, see reintegration cohort figures"),
    "linkage.review": _("Review possible duplicate people"),
    "linkage.run": _("Run record linkage over the whole registry"),
    "statistics.view": _("See national statistics (aggregates only)"),
    "statistics.export": _("Export statistics (GLOTIP, HTCDS)"),
    "statistics.release": _("Assemble statistical releases and submit them for approval"),
    "statistics.approve": _("Approve statistical releases assembled by someone else"),
    "accounts.manage_agency": _("Manage your agency's members and security settings"),
    "accounts.manage_system": _("Manage agencies, users and memberships system-wide"),
    "audit.view_events": _("Read the audit log"),
}

_CASE_WORK = {
    "people.view",
    "people.register",
    "people.see_child_names",
    "cases.view",
    "cases.edit",
    "referrals.make",
}

# Django admin model permissions that a system administrator needs for the admin pages.
_ADMIN_MODEL_PERMISSIONS = (
    {
        f"{app}.{action}_{model}"
        for app, model in [
            ("accounts", "user"),
            ("accounts", "agency"),
            ("accounts", "membership"),
            ("geo", "bordergate"),
        ]
        for action in ("view", "add", "change")
    }
    | {"accounts.view_rolegrant", "accounts.add_rolegrant"}
    | {f"geo.view_{model}" for model in ("province", "commune", "formerprovince")}
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.FRONTLINE_OFFICER: frozenset(
        {
            "people.view",
            "people.register",
            "people.see_child_names",
            "intake.screen",
            "intake.triage_tips",
            "cases.refer",
            "returns.view",
            "returns.receive",
            "returns.verify",
        }
    ),
    Role.CASE_WORKER: frozenset(
        _CASE_WORK
        | {"intake.triage_tips", "cases.refer", "returns.view", "returns.receive", "returns.follow_up"}
    ),
    Role.SUPERVISOR: frozenset(
        _CASE_WORK
        | {
            "intake.triage_tips",
            "cases.refer",
            "cases.supervise",
            "linkage.review",
            "statistics.view",
            "referrals.supervise",
            "returns.view",
            "returns.receive",
            "returns.verify",
            "returns.follow_up",
            "returns.supervise",
        }
    ),
    Role.SERVICE_PROVIDER: frozenset({"referrals.deliver"}),
    Role.JUSTICE_OFFICER: frozenset(
        {
            "people.view",
            "people.see_child_names",
            "justice.view",
            "justice.edit",
            "justice.justify_exception",
            "cases.view",
        }
    ),
    Role.STATISTICIAN: frozenset(
        {"statistics.view", "statistics.export", "statistics.release", "statistics.approve"}
    ),
    Role.AGENCY_ADMIN: frozenset({"accounts.manage_agency", "referrals.manage_directory"}),
    Role.SYSTEM_ADMIN: frozenset(
        {
            "accounts.manage_agency",
            "accounts.manage_system",
            "intake.publish_instruments",
            "linkage.run",
            "referrals.manage_directory",
        }
        | _ADMIN_MODEL_PERMISSIONS
    ),
    Role.AUDITOR: frozenset({"audit.view_events"}),
}

# Roles whose members may reach the Django admin site.
STAFF_ROLES = frozenset({Role.SYSTEM_ADMIN})

# Capabilities that open case data (case files and notes, justice records, the audit log of who did
# what to which case). A role holding any of them is granted only after a second administrator
# approves (four eyes); derived from ROLE_PERMISSIONS, so a new role is covered without a list.
CASE_DATA_PERMISSIONS = frozenset({"cases.view", "justice.view", "audit.view_events"})


# ...and the capability to approve such grants: otherwise one administrator could make a second
# administrator account and approve their own request from it.
FOUR_EYES_PERMISSIONS = CASE_DATA_PERMISSIONS | {"accounts.manage_system"}


def reads_case_data(role: str) -> bool:
    return bool(ROLE_PERMISSIONS.get(role, frozenset()) & CASE_DATA_PERMISSIONS)


def needs_second_approval(role: str) -> bool:
    """A grant of this role waits for a second administrator (four eyes)."""
    return bool(ROLE_PERMISSIONS.get(role, frozenset()) & FOUR_EYES_PERMISSIONS)
