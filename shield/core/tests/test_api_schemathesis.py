"""Schemathesis against the whole OpenAPI schema, in process (WSGI), as two roles.

Every operation gets generated calls, valid and invalid, half of them aimed at records that exist
(so the calls get past 404 into validation and the services). The run has a fixed seed and must
end with no server error and every answer as the schema documents it: status code, content type
and body.

Left out of the fuzzing: the sign-in endpoint (`/auth/token/`): generated passwords would count as
failed sign-ins and lock the accounts the run uses. It has tests of its own in shield/accounts.

Deselect locally with `-m "not schemathesis"`; `make test` (and CI) runs it on both databases.
"""

import datetime
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shield.accounts.models import User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, province
from shield.cases import services as case_services
from shield.cases.models import CarePlanAction, ConsentGivenBy, ConsentScope, NoteKind, Stage
from shield.cases.tests import factories as cases
from shield.intake.models import ScreeningInstrument
from shield.intake.tests import factories as intake
from shield.linkage.tests import factories as linkage
from shield.returns.models import ReceptionMember
from shield.returns.reception import services as returns_services

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

EXCLUDED_PATHS = ["/api/v1/auth/token/"]
# Examples per operation and generation mode: ~60 operations x 2 modes x 2 targets x 5 examples
# give well over 1,000 calls per role.
EXAMPLES = 3
MINIMUM_CALLS = 500  # per role, so both roles together make at least 1,000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Dataset:
    ids: dict[str, str]
    worker: User
    supervisor: User


@dataclass
class Tally:
    calls: int = 0
    server_errors: int = 0
    mismatches: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)


def _dataset() -> Dataset:
    """A small agency's worth of records, so generated calls can aim at ids that exist."""
    agency = AgencyFactory.create(province=province("01"))
    team = cases.team(agency)
    case = cases.open_case(actor=team.worker, agency=agency)
    case_services.note_add(actor=team.worker, case=case, kind=NoteKind.CONTACT, body="Đã gặp gia đình.")
    receiving = AgencyFactory.create(province=province("01"))
    consent = case_services.consent_record(
        actor=team.worker,
        case=case,
        scope=ConsentScope.SHARE_WITH_AGENCY,
        given_by=ConsentGivenBy.PERSON,
        given_on=datetime.date(2026, 1, 5),
        shared_with_agency=receiving,
    )
    cases.put_at(case, Stage.SERVICES)
    action = CarePlanAction.objects.filter(goal__plan__case=case).first()
    assert action is not None
    transfer = case_services.transfer_request(
        actor=team.worker, case=case, to_agency=receiving, reason="Gần nhà hơn."
    )
    other = cases.open_case(actor=team.worker, agency=agency)
    closure = case_services.closure_request(actor=team.worker, case=other, reason="Đã đoàn tụ.")
    gate = intake.gate_post()
    screening = intake.draft(gate.officer)
    tip = intake.tip(team.worker)
    a = linkage.registered("Nguyễn Thị Hoa", agency=agency, number="001195000001")
    b = linkage.registered("Nguyen Thi Hoa", agency=agency, number="001195000001")
    pair = linkage.review_pair(a, b)
    instrument = ScreeningInstrument.objects.first()
    assert instrument is not None
    back = returns_services.return_record(
        actor=team.worker, person=case.person, country="CN", how="handed_over", channel="bilateral"
    )
    verification = returns_services.verification_receive(
        actor=team.supervisor, record=back, foreign_authority="Dongxing PSB", received_at=timezone.now()
    )
    assert gate.agency.border_gate is not None
    reception = returns_services.reception_open(
        actor=team.worker, border_gate=gate.agency.border_gate, country="CN", channel="bilateral",
        received_at=timezone.now(),
    )  # fmt: skip
    received = returns_services.return_record(
        actor=team.worker, person=case.person, country="CN", how="handed_over", channel="bilateral",
        returned_on=timezone.localdate(),
    )  # fmt: skip
    # Built directly: adding a member starts a screening, which neither role of the run may do.
    reception_member = ReceptionMember.objects.create(event=reception, position=1, return_record=received)
    ids = {
        "case_id": str(case.pk),
        "person_id": str(case.person_id),
        "screening_id": str(screening.pk),
        "tip_id": str(tip.pk),
        "pair_id": str(pair.pk),
        "instrument_id": str(instrument.pk),
        "consent_id": str(consent.pk),
        "action_id": str(action.pk),
        "transfer_id": str(transfer.pk),
        "closure_id": str(closure.pk),
        "return_id": str(back.pk),
        "request_id": str(verification.pk),
        "event_id": str(reception.pk),
        "member_id": str(reception_member.pk),
    }
    return Dataset(ids=ids, worker=team.worker, supervisor=team.supervisor)


def _session(user: User) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a signed-in browser session: independent of how API tokens work."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as Django accepts it
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


def _run(schema: Any, app: Any, dataset: Dataset, user: User) -> Tally:
    cookies, headers = _session(user)
    tally = Tally()
    for result in schema.get_all_operations():
        operation = result.ok()
        known = {p.name: dataset.ids[p.name] for p in operation.path_parameters if p.name in dataset.ids}
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if known:
                strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=known))

        @seed(20261205)
        @settings(
            max_examples=EXAMPLES * len(strategies),
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(strategies))
        def call(case: Any) -> None:
            response = case.call(app=app, headers=headers, cookies=cookies)
            tally.calls += 1
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as failure:  # one per call, with every check that failed
                if response.status_code >= 500:
                    tally.server_errors += 1
                else:
                    tally.mismatches += 1
                for each in failure.exceptions:
                    tally.kinds[f"{case.operation.label}: {each.title}: {each.message[:120]!r}"] += 1
                tally.failures.append(f"{case.operation.label}: {str(failure)[:1500]}")

        call()
    return tally


@pytest.fixture
def dataset() -> Dataset:
    return _dataset()


@pytest.fixture
def app() -> Iterator[Any]:
    """Django's WSGI application called in process, in the test's transaction: as Django's test
    client does, the start and end of a request must not close the test's database connection."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def schema(dataset) -> Any:
    # The schema needs sign-in, as every API route does; the generated calls go to `app`.
    client = Client()
    client.force_login(dataset.worker)
    document = client.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    return schemathesis.openapi.from_dict(document).exclude(path=EXCLUDED_PATHS)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SUPERVISOR])
def test_generated_api_calls_meet_no_server_error_and_match_the_schema(schema, app, dataset, role):
    user = dataset.worker if role == Role.CASE_WORKER else dataset.supervisor
    tally = _run(schema, app, dataset, user)
    print(
        f"schemathesis {role}: {tally.calls} calls, {tally.server_errors} server errors, "
        f"{tally.mismatches} schema mismatches, statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert tally.calls >= MINIMUM_CALLS
    summary = "\n".join(f"{count} x {kind}" for kind, count in tally.kinds.most_common())
    assert tally.failures == [], summary + "\n\n" + "\n\n".join(tally.failures[:5])
