"""Actors and records for intake tests: a Border Guard post at a gate, its officer, a receiving agency."""

from dataclasses import dataclass
from typing import Any

from shield.accounts.models import Agency, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.geo.models import BorderGate
from shield.intake import services
from shield.intake.models import Screening, Tip


@dataclass
class Gate:
    agency: Agency
    officer: User
    receiver: Agency
    case_worker: User


def gate_post(code: str = "lao-cai", username: str = "", **agency: Any) -> Gate:
    """A Border Guard post serving `code`, one officer, and a social-protection centre with a case worker."""
    gate = BorderGate.objects.get(code=code)
    post = AgencyFactory.create(
        kind=AgencyKind.BORDER_GUARD, border_gate=gate, province=gate.province, **agency
    )
    officer = member(Role.FRONTLINE_OFFICER, agency=post, **({"username": username} if username else {}))
    receiver = AgencyFactory.create(name_en="Receiving Centre", province=province("01"))
    worker = member(Role.CASE_WORKER, agency=receiver, scope=Scope.AGENCY)
    return Gate(agency=post, officer=officer, receiver=receiver, case_worker=worker)


def draft(officer: User, **fields: Any) -> Screening:
    screening = services.screening_start(actor=officer)
    if fields:
        screening = services.screening_save_draft(
            actor=officer, screening=screening, expected_version=screening.version, data=fields
        )
    return screening


def tip(actor: User, **fields: Any) -> Tip:
    values: dict[str, Any] = {"channel": "hotline", "description": "Một cô gái bị giữ ở nhà nghỉ."}
    values.update(fields)
    return services.tip_record(actor=actor, **values)
