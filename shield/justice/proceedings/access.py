"""Who may see and change a proceeding, and whose eyes see its children's names.

Full access (`visible_q`): members holding `justice.view` whose scope (own agency and sub-agencies,
province, national; see `shield.accounts.policy.scope_q`) reaches *any* agency that held the
proceeding (every `ProceedingHolding`, past or present: the police who investigated still follow
the trial), and the officers assigned to it (an open `JusticeAssignment`) while they hold
`justice.view`.

Restricted access (`restricted_q`): case workers who can see a protection case linked to one of the
proceeding's parties (`Party.protection_case`, seen through the cases selectors) read its steps and
hearing dates only: not its parties, notes, summary or evidence.

Changes (`editable_q`): `justice.edit` whose scope reaches the agency holding it now, or an officer
assigned to it who holds `justice.edit`.

Children's identities (`can_see_child_identity`): only officers assigned to the proceeding (an
open assignment) see a child party's name; everyone else sees initials and year of birth, whatever
their role elsewhere (`people.see_child_names` does not open them here).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from shield.accounts import policy
from shield.accounts.models import User
from shield.cases import selectors as case_selectors
from shield.justice.models import JusticeAssignment, Party, Proceeding, ProceedingHolding

VIEW = "justice.view"
EDIT = "justice.edit"
Viewer = User | AnonymousUser
NOTHING = Q(pk__in=[])


def _active_user(user: Viewer | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    return user


def _assigned_ids(user: User) -> Q:
    open_assignments = JusticeAssignment.objects.filter(officer=user, ended_at__isnull=True)
    return Q(pk__in=open_assignments.values("proceeding_id"))


def visible_q(user: Viewer | None) -> Q:
    """A filter on Proceeding selecting those the user sees in full."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return NOTHING
    reach = policy.scope_q(u, VIEW, agency_path="agency")
    if not reach.children:
        return Q()
    # Correlated EXISTS probes (two or three holdings per proceeding, by the proceeding's index):
    # the list walks proceedings newest first and stops after a page, and the worklist probes only
    # the week's hearings, instead of hashing every holding a province ever had (120,000 rows).
    held = ProceedingHolding.objects.filter(reach, proceeding=OuterRef("pk"))
    assigned = JusticeAssignment.objects.filter(officer=u, ended_at__isnull=True, proceeding=OuterRef("pk"))
    return Q(Exists(held)) | Q(Exists(assigned))


def editable_q(user: Viewer | None) -> Q:
    """A filter on Proceeding selecting those the user may change."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, EDIT):
        return NOTHING
    reach = policy.scope_q(u, EDIT, agency_path="holding_agency")
    if not reach.children:
        return Q()
    return reach | _assigned_ids(u)


def restricted_q(user: Viewer | None) -> Q:
    """A filter on Proceeding selecting those linked to a protection case the user can see."""
    u = _active_user(user)
    if u is None:
        return NOTHING
    cases = case_selectors.visible_q(u)
    if cases == NOTHING:
        return NOTHING
    linked = Party.objects.filter(protection_case__isnull=False)
    if cases.children:
        from shield.cases.models import Case

        linked = linked.filter(protection_case__in=Case.objects.filter(cases).values("pk"))
    return Q(pk__in=linked.values("proceeding_id"))


def can_view(*, user: Viewer, proceeding: Proceeding) -> bool:
    return Proceeding.objects.filter(visible_q(user), pk=proceeding.pk).exists()


def can_edit(*, user: Viewer, proceeding: Proceeding) -> bool:
    return Proceeding.objects.filter(editable_q(user), pk=proceeding.pk).exists()


def can_see_child_identity(user: Viewer | None, proceeding: Proceeding) -> bool:
    """Whether the user sees the names of the proceeding's child parties: an assigned officer only.

    Cached on the proceeding instance for the request (a detail page asks once per party).
    """
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return False
    return is_assigned(u, proceeding)


def is_assigned(user: Viewer | None, proceeding: Proceeding) -> bool:
    """An officer with an open assignment to the proceeding (cached on the instance for the request)."""
    u = _active_user(user)
    if u is None:
        return False
    cache: dict[object, bool] = proceeding.__dict__.setdefault("_shield_assigned", {})
    if u.pk not in cache:
        cache[u.pk] = JusticeAssignment.objects.filter(
            proceeding=proceeding, officer=u, ended_at__isnull=True
        ).exists()
    return cache[u.pk]


def assigned_proceeding_ids(user: Viewer | None) -> set[object]:
    """The proceedings the user is assigned to now (open assignments, while holding `justice.view`),
    in one query: a list masks its rows' children with it instead of asking once per row."""
    u = _active_user(user)
    if u is None or not policy.has_permission(u, VIEW):
        return set()
    return set(
        JusticeAssignment.objects.filter(officer=u, ended_at__isnull=True).values_list(
            "proceeding_id", flat=True
        )
    )


def assigned_q(user: Viewer | None) -> Q:
    """A filter on Proceeding: those the user sees in full and is assigned to (the officer's own work)."""
    u = _active_user(user)
    if u is None:
        return NOTHING
    return visible_q(u) & _assigned_ids(u)


def proceedings_in_reach(user: Viewer | None, permission: str = VIEW) -> QuerySet[Proceeding]:
    """The proceedings the user sees in full (`justice.view`) or may change (`justice.edit`)."""
    rule = editable_q(user) if permission == EDIT else visible_q(user)
    return Proceeding.objects.filter(rule)
