"""The basis for sharing a person's data outside the owning agency (DOMAIN.md §6), in one place.

A transfer, a shared read access and a referral to a service provider all share the person's data,
so all rest on the same basis: the person's (or guardian's) active consent, or a recorded legal
basis with an override by a supervisor whose scope reaches the case.

- Sharing with a Shield agency needs a `share_with_agency` consent naming that agency.
- Sharing with an external provider (no agency in Shield: a clinic, a vocational school) cannot be
  named in such a consent; it needs the person's active consent to receive services (`services`
  scope), the consent a worker records before arranging services at all.
"""

from django.utils.translation import gettext as _

from shield.accounts.models import Agency, User
from shield.cases import selectors
from shield.cases.models import Case, Consent, ConsentScope
from shield.core.errors import ValidationFailed


def consent_to_share(*, case: Case, agency: Agency | None) -> Consent | None:
    """The active consent that lets the case's person be shared with `agency` (None: an external
    provider, for which the consent to receive services counts). No access check."""
    if agency is None:
        return selectors.active_consent(case=case, scope=ConsentScope.SERVICES)
    return selectors.active_consent(case=case, scope=ConsentScope.SHARE_WITH_AGENCY, agency=agency)


def sharing_basis(
    *, actor: User, case: Case, agency: Agency | None, legal_basis: str, override: bool
) -> tuple[Consent | None, User | None]:
    """(the consent relied on, the overriding supervisor): one of them, or ValidationFailed saying
    what is missing. `agency` None means an external provider (see the module docstring)."""
    consent = consent_to_share(case=case, agency=agency)
    if consent is not None:
        return consent, None
    if not override:
        if agency is None:
            message = _(
                "The person has not consented to receiving services. Record their consent first, "
                "or give the legal basis and have a supervisor override."
            )
            field_message = _("No consent to receive services is recorded.")
        else:
            message = _(
                "The person has not consented to sharing with this agency. Record their consent first, "
                "or give the legal basis and have a supervisor override."
            )
            field_message = _("No consent to share with this agency is recorded.")
        raise ValidationFailed(message, field_errors={"override": [field_message]})
    if not legal_basis.strip():
        raise ValidationFailed(
            _("An override of missing consent needs the legal basis for sharing."),
            field_errors={"legal_basis": [_("Give the legal basis for sharing without consent.")]},
        )
    if not selectors.can_supervise(user=actor, case=case):
        raise ValidationFailed(
            _("Only a supervisor whose scope reaches this case can override missing consent."),
            field_errors={"override": [_("Only a supervisor can override missing consent.")]},
        )
    return None, actor
