"""What every case endpoint shares: who may call it, how it finds the case, how reads are audited.

Reads need `cases.view`, writes `cases.edit` (approvals `cases.supervise`): a role without it
answers 403, and the refusal is audited. The case itself comes from `selectors.case_get_for`, so a
case that is missing or outside the user's reach answers 404 whatever the role. Finer refusals
(a case the user sees but may not change, a closed case, a stale version) are the services'.
"""

import uuid
from typing import cast

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from shield import audit
from shield.accounts.models import User
from shield.audit.api_refusals import AuditedRefusals
from shield.audit.models import AuditAction
from shield.cases import selectors
from shield.cases.api.serializers import CaseDetailSerializer
from shield.cases.models import CarePlan, CarePlanStatus, Case
from shield.core.api.versioning import expected_version, with_etag
from shield.core.errors import NotFound, VersionRequired
from shield.core.models import VersionedModel

CASE_TYPE = Case._meta.label_lower


class CasePermission(BasePermission):
    """Reads need the view's `read_permission`, writes its `write_permission`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = (
            getattr(view, "read_permission", selectors.VIEW)
            if request.method in SAFE_METHODS
            else getattr(view, "write_permission", selectors.EDIT)
        )
        return bool(request.user and request.user.has_perm(needed))


class CaseAPIView(AuditedRefusals, GenericAPIView):
    permission_classes = [IsAuthenticated, CasePermission]
    # JSON only: the browsable API would render forms outside the selectors and the audit.
    renderer_classes = [JSONRenderer]
    # OPTIONS would describe the answer's serializer as if it were the input: the OpenAPI schema
    # at /api/v1/schema/ describes every endpoint instead.
    metadata_class = None
    serializer_class: type[BaseSerializer]
    pagination_class: type[BasePagination] | None = None
    read_permission = selectors.VIEW
    write_permission = selectors.EDIT

    object_type = CASE_TYPE

    def refused_object_id(self) -> str:
        return str(self.kwargs.get("case_id") or "")

    def user(self) -> User:
        return cast(User, self.request.user)

    def case(self) -> Case:
        """The case of the URL, if in the user's reach (else 404). Not audited: see `read_case`."""
        case_id: uuid.UUID = self.kwargs["case_id"]
        return selectors.case_get_for(user=self.user(), case_id=case_id)

    def version_of(self, request: Request, current: VersionedModel) -> int:
        """The version the write is based on (If-Match, else `version` in the body): a stale
        If-Match answers 412 and none at all 428, before anything else is looked at."""
        version = expected_version(request, current)
        if version is None:
            raise VersionRequired()
        return version

    def audit_read(self, case: Case) -> None:
        audit.record(action=AuditAction.VIEW, actor=self.user(), agency=case.owner_agency, obj=case)

    def read_case(self) -> Case:
        """The case of the URL for a read of its details, audited as a view of the case."""
        case = self.case()
        self.audit_read(case)
        return case

    def narratives(self) -> dict[str, bool]:
        """Serializer context: whether narrative fields are shown (`selectors.reads_narratives`)."""
        return {"narratives": selectors.reads_narratives(self.user())}

    def case_response(self, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
        data = CaseDetailSerializer(case, context={"user": self.user()}).data
        return with_etag(Response(data, status=status_code), case)

    def plans(self, case: Case) -> list[CarePlan]:
        return list(selectors.care_plans_for(user=self.user(), case=case).order_by("-created_at"))

    def current_plan(self, case: Case) -> CarePlan:
        """The plan in the works if there is one, else the approved plan (a newer plan is always
        created after the approved one); 404 when the case has neither."""
        for plan in self.plans(case):
            if plan.status != CarePlanStatus.SUPERSEDED:
                return plan
        raise NotFound(_("This case has no care plan yet."))
