"""The privacy-budget ledger: spends add up per dataset and period, overspending is refused."""

from decimal import Decimal

import pytest
from django.test import override_settings

from shield.accounts.tests.factories import UserFactory
from shield.audit.models import AuditEvent
from shield.core.errors import ValidationFailed
from shield.statistics.models import PrivacySpend
from shield.statistics.models.privacy import LedgerError
from shield.statistics.selectors.privacy import privacy_remaining
from shield.statistics.services.privacy import BudgetExceeded, privacy_spend

pytestmark = pytest.mark.django_db


def test_spends_add_up_and_overspending_is_refused_with_nothing_written():
    statistician = UserFactory()
    privacy_spend(
        actor=statistician, dataset="victims_detected", period="2025", epsilon=0.6, purpose="release 2025"
    )
    assert privacy_remaining(dataset="victims_detected", period="2025") == Decimal("0.4")
    events = AuditEvent.objects.count()

    with pytest.raises(BudgetExceeded, match=r"0\.4000 of 1\.0 is left"):
        privacy_spend(
            actor=statistician, dataset="victims_detected", period="2025", epsilon=0.5, purpose="export"
        )
    assert PrivacySpend.objects.count() == 1
    assert AuditEvent.objects.count() == events

    # Another period and another dataset have budgets of their own; the last of one can be spent.
    privacy_spend(
        actor=statistician, dataset="victims_detected", period="2024", epsilon=1.0, purpose="release 2024"
    )
    privacy_spend(actor=statistician, dataset="tips", period="2025", epsilon=0.5, purpose="release 2025")
    privacy_spend(
        actor=statistician, dataset="victims_detected", period="2025", epsilon=0.4, purpose="export"
    )
    assert privacy_remaining(dataset="victims_detected", period="2025") == Decimal(0)


def test_a_spend_is_audited_in_the_same_transaction():
    statistician = UserFactory()
    spend = privacy_spend(
        actor=statistician, dataset="tips", period="2025-Q1", epsilon=0.25, purpose="dashboard"
    )
    event = AuditEvent.objects.get(object_id=str(spend.pk))
    assert event.actor_id == statistician.pk
    assert event.details["epsilon"] == "0.2500"


@override_settings(SHIELD_STATISTICS_EPSILON_BUDGET=2.0)
def test_the_budget_comes_from_the_settings():
    assert privacy_remaining(dataset="tips", period="2025") == Decimal("2.0")


def test_bad_amounts_and_purposes_get_field_errors():
    statistician = UserFactory()
    with pytest.raises(ValidationFailed) as refused:
        privacy_spend(actor=statistician, dataset="tips", period="2025", epsilon=0, purpose="x")
    assert "epsilon" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as refused:
        privacy_spend(actor=statistician, dataset="tips", period="2025", epsilon=0.1, purpose=" ")
    assert "purpose" in refused.value.field_errors


def test_the_ledger_is_append_only():
    spend = privacy_spend(actor=UserFactory(), dataset="tips", period="2025", epsilon=0.1, purpose="export")
    spend.purpose = "changed"
    with pytest.raises(LedgerError):
        spend.save()
    with pytest.raises(LedgerError):
        spend.delete()


def test_an_overlong_dataset_name_is_refused_not_cut():
    with pytest.raises(ValidationFailed, match="at most 100"):
        privacy_spend(actor=UserFactory(), dataset="x" * 101, period="2025", epsilon=0.1, purpose="export")
    assert not PrivacySpend.objects.exists()
