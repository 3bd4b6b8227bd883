import datetime

import pytest
from django.utils import timezone

from shield.cases import selectors, services
from shield.cases.models import CaseAccess, Consent, ConsentScope, Stage
from shield.cases.tests import factories as f
from shield.core.errors import InvalidTransition, ValidationFailed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_consent_to_share_names_the_agency():
    team = f.team()
    case = f.open_case(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        services.consent_record(
            actor=team.worker,
            case=case,
            scope=ConsentScope.SHARE_WITH_AGENCY,
            given_by="person",
            given_on=TODAY(),
        )
    assert "shared_with_agency" in refused.value.field_errors
    assert not Consent.objects.exists()


def test_a_guardian_is_named():
    team = f.team()
    case = f.open_case(actor=team.worker)
    with pytest.raises(ValidationFailed) as refused:
        services.consent_record(
            actor=team.worker, case=case, scope=ConsentScope.SERVICES, given_by="guardian", given_on=TODAY()
        )
    assert "guardian_name" in refused.value.field_errors


def test_a_childs_consent_is_given_by_a_guardian():
    team = f.team()
    child = f.person(
        actor=team.worker, full_name="Giàng Thị Mai", birth_date=TODAY() - datetime.timedelta(days=365 * 12)
    )
    case = f.open_case(actor=team.worker, person_=child, case_type="child_victim_abuse")
    with pytest.raises(ValidationFailed) as refused:
        services.consent_record(
            actor=team.worker, case=case, scope=ConsentScope.SERVICES, given_by="person", given_on=TODAY()
        )
    assert refused.value.field_errors["given_by"] == ["A child's consent is given by a guardian."]
    consent = services.consent_record(
        actor=team.worker,
        case=case,
        scope=ConsentScope.SERVICES,
        given_by="guardian",
        guardian_name="Giàng A Páo",
        given_on=TODAY(),
    )
    assert (consent.person, consent.guardian_name) == (child, "Giàng A Páo")


def test_one_active_consent_per_scope_and_agency():
    team = f.team()
    case = f.open_case(actor=team.worker)
    partner = f.team().agency
    services.consent_record(
        actor=team.worker, case=case, scope="statistics", given_by="person", given_on=TODAY()
    )
    with pytest.raises(ValidationFailed):
        services.consent_record(
            actor=team.worker, case=case, scope="statistics", given_by="person", given_on=TODAY()
        )
    for agency in (partner, f.team().agency):  # two agencies: two consents
        services.consent_record(
            actor=team.worker,
            case=case,
            scope=ConsentScope.SHARE_WITH_AGENCY,
            shared_with_agency=agency,
            given_by="person",
            given_on=TODAY(),
        )
    assert Consent.objects.filter(case=case).count() == 3


def test_withdrawal_needs_a_reason_happens_once_and_is_kept():
    team = f.team()
    case = f.open_case(actor=team.worker)
    consent = services.consent_record(
        actor=team.worker, case=case, scope="follow_up_contact", given_by="person", given_on=TODAY()
    )
    with pytest.raises(ValidationFailed):
        services.consent_withdraw(actor=team.worker, consent=consent, reason=" ")
    services.consent_withdraw(actor=team.worker, consent=consent, reason="Does not want calls")
    consent.refresh_from_db()
    assert not consent.is_active
    assert consent.withdrawal_reason == "Does not want calls"
    with pytest.raises(InvalidTransition):
        services.consent_withdraw(actor=team.worker, consent=consent, reason="Again")
    assert list(selectors.consents_for(user=team.worker, case=case)) == [consent]
    # After withdrawal the same consent may be given again.
    services.consent_record(
        actor=team.worker, case=case, scope="follow_up_contact", given_by="person", given_on=TODAY()
    )


def test_consent_can_be_withdrawn_on_a_closed_case():
    team = f.team()
    case = f.open_case(actor=team.worker)
    consent = services.consent_record(
        actor=team.worker, case=case, scope="statistics", given_by="person", given_on=TODAY()
    )
    f.put_at(case, Stage.CLOSED)
    services.consent_withdraw(actor=team.worker, consent=consent, reason="Changed mind")
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()


def test_withdrawing_consent_to_share_revokes_the_access_it_granted():
    team, partner = f.team(), f.team()
    case = f.open_case(actor=team.worker)
    consent = services.consent_record(
        actor=team.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        shared_with_agency=partner.agency,
        given_by="person",
        given_on=TODAY(),
    )
    access = services.case_access_grant(actor=team.worker, case=case, agency=partner.agency, reason="Shelter")
    assert access.consent == consent
    assert selectors.can_view(user=partner.worker, case=case)
    services.consent_withdraw(actor=team.worker, consent=consent, reason="No longer")
    assert not CaseAccess.objects.get(pk=access.pk).is_active
    assert not selectors.can_view(user=partner.worker, case=case)
