"""`manage.py demo_data`: proceedings at every step with child and adult parties."""

import io

import pytest
from django.core.management import call_command

from shield.justice.models import (
    JusticeAssignment,
    Party,
    PartyRole,
    Proceeding,
    ProceedingStatus,
    ProceedingStep,
    StepKind,
)

pytestmark = pytest.mark.django_db


def test_demo_proceedings_cover_every_step_with_child_and_adult_parties(settings) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out, stderr=io.StringIO(), persons=200, up_to="justice")
    assert "Justice:" in out.getvalue()
    kinds = set(ProceedingStep.objects.values_list("kind", flat=True))
    assert kinds == set(StepKind.values) - {StepKind.RESUMED}
    assert ProceedingStep.objects.filter(scheduled_for__isnull=False).exists()  # a hearing ahead
    statuses = set(Proceeding.objects.values_list("status", flat=True))
    assert statuses == {ProceedingStatus.OPEN, ProceedingStatus.SUSPENDED, ProceedingStatus.CLOSED}
    assert Party.objects.filter(is_child=True).exists()
    assert Party.objects.filter(is_child=False).exists()
    assert Party.objects.filter(role=PartyRole.VICTIM, protection_case__isnull=False).exists()
    assert JusticeAssignment.objects.filter(officer__username="court.hanoi").exists()
