"""A case's care plan: the current plan with its goals and actions, and the writes that make it.

The current plan is the one in the works (draft, submitted or returned) if there is one, else the
approved one. Writes to it name the plan's version (its ETag): adding a goal or an action raises
it, so a supervisor approves exactly the plan they read. Actions are done or cancelled in the
approved plan, by the case's workers or the person responsible for the action.
"""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shield.cases import selectors, services
from shield.cases.api import schema
from shield.cases.api.base import CaseAPIView
from shield.cases.api.plan_serializers import (
    ActionAddedSerializer,
    ActionAddSerializer,
    ActionCancelSerializer,
    ActionCompleteSerializer,
    ActionSerializer,
    CarePlanSerializer,
    GoalAddedSerializer,
    GoalAddSerializer,
    GoalSerializer,
    PlanReturnSerializer,
    PlanVersionSerializer,
)
from shield.cases.models import CarePlan, CarePlanAction, Case
from shield.core.api.versioning import with_etag
from shield.core.errors import NotFound, ValidationFailed


class _PlanView(CaseAPIView):
    def fresh_plan(self, case: Case, plan: CarePlan) -> CarePlan:
        """The plan as it is now, with its goals and actions."""
        return selectors.care_plans_for(user=self.user(), case=case).get(pk=plan.pk)

    def plan_response(self, case: Case, plan: CarePlan, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.fresh_plan(case, plan)
        return with_etag(Response(CarePlanSerializer(fresh).data, status=status_code), fresh)

    def action(self, case: Case, action_id: uuid.UUID) -> CarePlanAction:
        """An action of any of the case's plans (prefetched with its goal and plan), else 404."""
        for plan in self.plans(case):
            for goal in plan.goals.all():
                for action in goal.actions.all():
                    if action.pk == action_id:
                        return action
        raise NotFound()


class CarePlanView(_PlanView):
    serializer_class = CarePlanSerializer

    @extend_schema(
        operation_id="cases_care_plan_retrieve",
        summary="A case's current care plan",
        description=(
            "The plan in the works if there is one, else the approved plan, with its goals and "
            "actions; 404 when the case has no plan. The ETag is the plan's version. Audited as a "
            "view of the case."
        ),
        parameters=[schema.ETAG],
        responses={200: CarePlanSerializer, **schema.READ_ERRORS},
    )
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.read_case()
        plan = self.current_plan(case)
        return with_etag(Response(CarePlanSerializer(plan).data), plan)

    @extend_schema(
        operation_id="cases_care_plan_create",
        summary="Start a care plan",
        description=(
            "A draft plan; it needs an assessment first, and a case has one plan in the works at a "
            "time (it replaces the approved plan once it is approved)."
        ),
        request=None,
        parameters=[schema.ETAG],
        responses={201: CarePlanSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = services.care_plan_create(actor=self.user(), case=case)
        return self.plan_response(case, plan, status_code=status.HTTP_201_CREATED)


class CarePlanGoalsView(_PlanView):
    serializer_class = GoalAddedSerializer

    @extend_schema(
        operation_id="cases_care_plan_goals_create",
        summary="Add a goal to the care plan",
        description="To a draft or returned plan; the plan's version rises (see ETag and `plan_version`).",
        request=GoalAddSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={201: GoalAddedSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = self.current_plan(case)
        version = self.version_of(request, plan)
        payload = GoalAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        goal = services.care_plan_goal_add(
            actor=self.user(),
            plan=plan,
            description=payload.validated_data["description"],
            domain=payload.validated_data["domain"],
            expected_version=version,
        )
        fresh = self.fresh_plan(case, plan)
        data = {**GoalSerializer(goal).data, "plan_version": fresh.version}
        return with_etag(Response(data, status=status.HTTP_201_CREATED), fresh)


class CarePlanActionsView(_PlanView):
    serializer_class = ActionAddedSerializer

    @extend_schema(
        operation_id="cases_care_plan_actions_create",
        summary="Add an action to a goal of the care plan",
        description=(
            "To a goal of a draft or returned plan, due on a date, for an agency, a person or both; "
            "the plan's version rises (see ETag and `plan_version`)."
        ),
        request=ActionAddSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={201: ActionAddedSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = self.current_plan(case)
        version = self.version_of(request, plan)
        payload = ActionAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("version", None)
        goal = next((g for g in plan.goals.all() if g.pk == data["goal"]), None)
        if goal is None:
            raise ValidationFailed(field_errors={"goal": [_("The care plan has no such goal.")]})
        data["goal"] = goal
        action = services.care_plan_action_add(actor=self.user(), expected_version=version, **data)
        fresh = self.fresh_plan(case, plan)
        body = {**ActionSerializer(action).data, "plan_version": fresh.version}
        return with_etag(Response(body, status=status.HTTP_201_CREATED), fresh)


class ActionCompleteView(_PlanView):
    serializer_class = ActionSerializer
    # The person responsible for an action may mark it done without other rights to the case;
    # the service decides (case workers of the case, or that person).
    write_permission = selectors.VIEW

    @extend_schema(
        operation_id="cases_care_plan_actions_complete",
        summary="Mark an action of the approved plan done",
        description="By the case's workers or the person responsible for the action.",
        request=ActionCompleteSerializer,
        responses={200: ActionSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, action_id: uuid.UUID) -> Response:
        action = self.action(self.case(), action_id)
        payload = ActionCompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        done = services.care_plan_action_complete(actor=self.user(), action=action, **payload.validated_data)
        return Response(ActionSerializer(done).data)


class ActionCancelView(_PlanView):
    serializer_class = ActionSerializer
    write_permission = selectors.VIEW

    @extend_schema(
        operation_id="cases_care_plan_actions_cancel",
        summary="Cancel an action of the approved plan",
        description="Saying why; by the case's workers or the person responsible for the action.",
        request=ActionCancelSerializer,
        responses={200: ActionSerializer, **schema.WRITE_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID, action_id: uuid.UUID) -> Response:
        action = self.action(self.case(), action_id)
        payload = ActionCancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cancelled = services.care_plan_action_cancel(
            actor=self.user(), action=action, reason=payload.validated_data["reason"]
        )
        return Response(ActionSerializer(cancelled).data)


class CarePlanSubmitView(_PlanView):
    serializer_class = CarePlanSerializer

    @extend_schema(
        operation_id="cases_care_plan_submit",
        summary="Submit the care plan for approval",
        description="A draft or returned plan with at least one goal with an action.",
        request=PlanVersionSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: CarePlanSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = self.current_plan(case)
        version = self.version_of(request, plan)
        PlanVersionSerializer(data=request.data).is_valid(raise_exception=True)
        submitted = services.care_plan_submit(actor=self.user(), plan=plan, expected_version=version)
        return self.plan_response(case, submitted)


class CarePlanApproveView(_PlanView):
    serializer_class = CarePlanSerializer
    write_permission = selectors.SUPERVISE

    @extend_schema(
        operation_id="cases_care_plan_approve",
        summary="Approve the submitted care plan",
        description=(
            "By a supervisor whose scope reaches the case, not the one who submitted it; the plan "
            "approved before it, if any, is superseded."
        ),
        request=PlanVersionSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={200: CarePlanSerializer, **schema.VERSIONED_ERRORS},
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = self.current_plan(case)
        version = self.version_of(request, plan)
        PlanVersionSerializer(data=request.data).is_valid(raise_exception=True)
        approved = services.care_plan_approve(actor=self.user(), plan=plan, expected_version=version)
        return self.plan_response(case, approved)


class CarePlanReturnView(_PlanView):
    serializer_class = CarePlanSerializer
    write_permission = selectors.SUPERVISE

    @extend_schema(
        operation_id="cases_care_plan_return",
        summary="Return the submitted care plan for changes",
        description="By a supervisor (not the submitter), saying what should change.",
        request=PlanReturnSerializer,
        parameters=[schema.IF_MATCH, schema.ETAG],
        responses={
            200: OpenApiResponse(CarePlanSerializer, description="Returned to its authors."),
            **schema.VERSIONED_ERRORS,
        },
    )
    def post(self, request: Request, case_id: uuid.UUID) -> Response:
        case = self.case()
        plan = self.current_plan(case)
        version = self.version_of(request, plan)
        payload = PlanReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        returned = services.care_plan_return(
            actor=self.user(), plan=plan, expected_version=version, note=payload.validated_data["note"]
        )
        return self.plan_response(case, returned)
