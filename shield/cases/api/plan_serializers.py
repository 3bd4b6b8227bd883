"""What the case API reads and writes about care plans: the plan with its goals and actions.

A plan is versioned as a whole: adding a goal or an action raises the plan's version, so the
supervisor who approves it approves exactly what they saw. Every write to a plan names the plan's
version (If-Match or `version`).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shield.cases.api.serializers import (
    NamedChoiceField,
    UserRefSerializer,
    VersionField,
    agency_field,
    agency_ref,
    day,
    dt,
    user_field,
    user_ref,
)
from shield.cases.models import (
    ActionStatus,
    CarePlan,
    CarePlanAction,
    CarePlanGoal,
    CarePlanStatus,
    NeedDomain,
)
from shield.people.api.serializers import AgencyRefSerializer


class ActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    description = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    responsible_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    responsible_person = UserRefSerializer(read_only=True, allow_null=True)
    status = NamedChoiceField(ActionStatus, read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    cancel_reason = serializers.CharField(read_only=True)

    def to_representation(self, instance: CarePlanAction) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "description": instance.description,
            "due_on": day(instance.due_on),
            "responsible_agency": agency_ref(instance.responsible_agency),
            "responsible_person": user_ref(instance.responsible_person),
            "status": instance.status,
            "done_on": day(instance.done_on),
            "cancel_reason": instance.cancel_reason,
        }


class GoalSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    domain = serializers.CharField(read_only=True, help_text=_("A need domain, or empty."))
    description = serializers.CharField(read_only=True)
    actions = ActionSerializer(many=True, read_only=True)

    def to_representation(self, instance: CarePlanGoal) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "domain": instance.domain,
            "description": instance.description,
            "actions": [ActionSerializer(a).data for a in instance.actions.all()],
        }


class CarePlanSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(
        read_only=True, help_text=_("The plan's version: every write to the plan names it.")
    )
    status = NamedChoiceField(CarePlanStatus, read_only=True)
    created_by = UserRefSerializer(read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_by = UserRefSerializer(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    returned_by = UserRefSerializer(read_only=True, allow_null=True)
    returned_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: CarePlan) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "version": instance.version,
            "status": instance.status,
            "created_by": user_ref(instance.created_by),
            "submitted_by": user_ref(instance.submitted_by),
            "submitted_at": dt(instance.submitted_at),
            "approved_by": user_ref(instance.approved_by),
            "approved_at": dt(instance.approved_at),
            "returned_by": user_ref(instance.returned_by),
            "returned_at": dt(instance.returned_at),
            "decision_note": instance.decision_note,
            "goals": [GoalSerializer(g).data for g in instance.goals.all()],
            "created_at": dt(instance.created_at),
        }


class PlanVersionSerializer(serializers.Serializer):
    """A write to the plan that carries nothing but the version it is based on."""

    version = VersionField()


class PlanReturnSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What should change in the plan."),
    )
    version = VersionField()


class GoalAddSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    domain = serializers.ChoiceField(choices=NeedDomain.choices, required=False, allow_blank=True, default="")
    version = VersionField(help_text=_("The plan's version, if not sent as If-Match."))


class ActionAddSerializer(serializers.Serializer):
    goal = serializers.UUIDField(help_text=_("A goal of the plan."))
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(help_text=_("Today or a later day."))
    responsible_agency = agency_field(required=False, allow_null=True)
    responsible_person = user_field(required=False, allow_null=True)
    version = VersionField(help_text=_("The plan's version, if not sent as If-Match."))


class ActionCompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text=_("By default today."))


class ActionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class GoalAddedSerializer(GoalSerializer):
    plan_version = serializers.IntegerField(read_only=True, help_text=_("The plan's version now."))


class ActionAddedSerializer(ActionSerializer):
    plan_version = serializers.IntegerField(read_only=True, help_text=_("The plan's version now."))
