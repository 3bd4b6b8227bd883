"""The reception API under /api/v1/returns/: returns, verification requests, receptions and their
members. Every endpoint through the permission matrix; If-Match (428 without, 412 stale); the error
shapes (400 field errors, 409 state); audited reads and lists; list query counts flat in the rows."""

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shield.accounts.models import User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import member
from shield.accounts.tests.permission_matrix import Actors, Endpoint, assert_matrix, db_snapshot
from shield.audit.models import AuditEvent
from shield.geo.models import BorderGate, Commune
from shield.intake.tests.factories import Gate, gate_post
from shield.people.models import Person
from shield.people.tests.factories import person as new_person
from shield.returns.models import (
    ReceptionEvent,
    ReceptionMember,
    ReceptionStatus,
    Return,
    ReturnStatus,
    VerificationRequest,
    VerificationStatus,
)
from shield.returns.reception import services
from shield.returns.reception.serializers import DRAFT_LIMIT_BYTES

pytestmark = pytest.mark.django_db
snapshot = db_snapshot(Return, VerificationRequest, ReceptionEvent, ReceptionMember)
RETURNEE = "Vàng Thị Mỷ"
API = "/api/v1/returns"


@dataclass
class Place:
    gate: Gate
    officer: User
    returnee: Person
    border_gate: BorderGate


def _place(code: str) -> Place:
    gate = gate_post(code)
    returnee = new_person(full_name=RETURNEE, actor=gate.officer, owner_agency=gate.agency)
    assert gate.agency.border_gate is not None
    return Place(gate, gate.officer, returnee, gate.agency.border_gate)


@pytest.fixture
def here() -> Place:
    return _place("mong-cai")


@pytest.fixture
def actors(here: Place) -> Actors:
    return Actors(
        permitted=here.officer,
        no_permission=member(Role.JUSTICE_OFFICER, agency=here.gate.agency),
        other_agency=_place("lao-cai").officer,
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, method: str, url: str, body: Any = None, version: int | None = None) -> Any:
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    call = getattr(client, method.lower())
    return call(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def _return(place: Place, **extra: Any) -> Return:
    return services.return_record(
        actor=place.officer,
        person=place.returnee,
        country="CN",
        how="handed_over",
        channel="bilateral",
        **extra,
    )


def _event(place: Place) -> ReceptionEvent:
    return services.reception_open(
        actor=place.officer,
        border_gate=place.border_gate,
        country="CN",
        channel="bilateral",
        received_at=timezone.now(),
        foreign_authority="Dongxing Border Management",
    )


def _member(place: Place, event: ReceptionEvent, name: str = "") -> ReceptionMember:
    if name:
        return services.member_add(
            actor=place.officer, event=event, full_name=name, sex="female", birth_year=2000
        )
    return services.member_add(actor=place.officer, event=event, person=place.returnee)


def _fresh(model: Any, pk: Any) -> Any:
    return model.objects.get(pk=pk)


# --- The permission matrix -----------------------------------------------------------------------


def test_return_endpoints_through_the_matrix(here: Place, actors: Actors):
    record = _return(here)
    for url, scoped in ((f"{API}/", True), (f"{API}/{record.pk}/", False)):
        assert_matrix(
            Endpoint("GET", url, api=True, scoped=scoped), actors, secrets=[RETURNEE], snapshot=snapshot
        )
    body = {"person": str(here.returnee.pk), "country": "CN", "how": "rescued", "channel": "consular"}
    assert_matrix(
        Endpoint("POST", f"{API}/", data=body, api=True, permitted_status={201}), actors, snapshot=snapshot
    )
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/{record.pk}/cancel/",
            data={"version": record.version, "reason": "Not handed over"},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )
    assert _fresh(Return, record.pk).status == ReturnStatus.CANCELLED
    assert Return.objects.filter(how="rescued").count() == 1


def test_verification_endpoints_through_the_matrix(here: Place, actors: Actors):
    record = _return(here)
    body = {
        "return_record": str(record.pk),
        "foreign_authority": "Dongxing PSB",
        "received_at": timezone.now().isoformat(),
    }
    assert_matrix(
        Endpoint("POST", f"{API}/verifications/", data=body, api=True, permitted_status={201}),
        actors,
        snapshot=snapshot,
    )
    request = VerificationRequest.objects.get(return_record=record)
    for url, scoped in (
        (f"{API}/verifications/", True),
        (f"{API}/verifications/?due=yes", True),
        (f"{API}/verifications/{request.pk}/", False),
    ):
        assert_matrix(
            Endpoint("GET", url, api=True, scoped=scoped), actors, secrets=[RETURNEE], snapshot=snapshot
        )
    # A case worker may read returns but not answer foreign authorities: 403 for the steps.
    verify_actors = Actors(
        permitted=here.officer,
        no_permission=member(Role.CASE_WORKER, agency=here.gate.agency),
        other_agency=actors.other_agency,
    )
    steps: tuple[tuple[str, dict[str, Any]], ...] = (
        ("check", {}),
        ("decide", {"confirmed": True, "basis": "CCCD matches"}),
        ("answer", {"answer_reference": "CV-12/BP"}),
    )
    for step, data in steps:
        version = _fresh(VerificationRequest, request.pk).version
        assert_matrix(
            Endpoint(
                "POST",
                f"{API}/verifications/{request.pk}/{step}/",
                data={**data, "version": version},
                api=True,
            ),
            verify_actors,
            snapshot=snapshot,
        )
    assert _fresh(VerificationRequest, request.pk).status == VerificationStatus.ANSWERED


def test_reception_endpoints_through_the_matrix(here: Place, actors: Actors):
    gate_code = here.border_gate.code
    body = {
        "border_gate": gate_code,
        "country": "CN",
        "channel": "blo",
        "received_at": timezone.now().isoformat(),
    }
    # Opening names no record of anyone's: an officer of another agency may open one of their own.
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/receptions/",
            data=body,
            api=True,
            permitted_status={201},
            also_allowed={"other_agency"},
        ),
        actors,
        snapshot=snapshot,
    )
    event = ReceptionEvent.objects.get(agency=here.gate.agency)
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/receptions/{event.pk}/members/",
            data={"person": str(here.returnee.pk)},
            api=True,
            permitted_status={201},
        ),
        actors,
        snapshot=snapshot,
    )
    one = event.members.get()
    for url, scoped, secrets in (
        (f"{API}/receptions/", True, [event.reference]),
        (f"{API}/receptions/{event.pk}/", False, [RETURNEE]),
        (f"{API}/receptions/{event.pk}/members/", False, [RETURNEE]),
        (f"{API}/receptions/members/{one.pk}/", False, [RETURNEE]),
    ):
        assert_matrix(
            Endpoint("GET", url, api=True, scoped=scoped), actors, secrets=secrets, snapshot=snapshot
        )
    for method in ("PUT", "PATCH"):
        version = _fresh(ReceptionMember, one.pk).version
        assert_matrix(
            Endpoint(
                method,
                f"{API}/receptions/members/{one.pk}/draft/",
                data={"version": version, "draft": {"note": method}},
                api=True,
            ),
            actors,
            snapshot=snapshot,
        )
    for step, data in (
        ("screen", {"outcome": "no_concern"}),
        ("dispose", {"disposition": "family", "handed_to": "Mẹ, Vàng Thị Pà"}),
    ):
        version = _fresh(ReceptionMember, one.pk).version
        assert_matrix(
            Endpoint(
                "POST",
                f"{API}/receptions/members/{one.pk}/{step}/",
                data={**data, "version": version},
                api=True,
            ),
            actors,
            snapshot=snapshot,
        )
    assert_matrix(
        Endpoint(
            "POST",
            f"{API}/receptions/{event.pk}/complete/",
            data={"version": _fresh(ReceptionEvent, event.pk).version, "receipt_number": "BB-01"},
            api=True,
        ),
        actors,
        snapshot=snapshot,
    )
    assert _fresh(ReceptionEvent, event.pk).status == ReceptionStatus.COMPLETED


# --- Returns -------------------------------------------------------------------------------------


def test_a_return_is_created_read_filtered_and_cancelled_with_if_match(here: Place):
    api = _client(here.officer)
    created = _send(
        api,
        "POST",
        f"{API}/",
        {
            "person": str(here.returnee.pk),
            "country": "KH",
            "how": "assisted_voluntary",
            "channel": "commit",
            "returned_on": timezone.localdate().isoformat(),
            "border_gate": here.border_gate.code,
            "notes": "Came by bus",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "received"
    assert body["notes"] == "Came by bus"
    assert body["person_name"] == RETURNEE
    assert created["ETag"] == f'"{body["version"]}"'
    assert created["Location"] == f"{API}/{body['id']}/"
    _return(here)  # expected, from China
    listed = api.get(f"{API}/?status=received&country=KH").json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert "notes" not in listed[0]
    assert api.get(f"{API}/?status=nope").status_code == 400
    assert api.get(f"{API}/?country=ZZ").json()["country"]
    detail = api.get(f"{API}/{body['id']}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=body["id"]).exists()
    assert AuditEvent.objects.filter(action="list", object_type="returns.return").exists()
    url = f"{API}/{body['id']}/cancel/"
    assert _send(api, "POST", url, {"reason": "Wrong person"}).status_code == 428
    assert _send(api, "POST", url, {"reason": "Wrong person"}, version=body["version"] + 5).status_code == 412
    blank = _send(api, "POST", url, {"reason": "  "}, version=body["version"])
    assert blank.status_code == 400
    assert "reason" in blank.json()
    done = _send(api, "POST", url, {"reason": "Wrong person"}, version=body["version"])
    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
    again = _send(api, "POST", url, {"reason": "Wrong person"}, version=done.json()["version"])
    assert again.status_code == 409
    assert again.json()["detail"]


def test_creating_a_return_checks_the_fields_and_the_persons_reach(here: Place):
    api = _client(here.officer)
    bad = _send(
        api,
        "POST",
        f"{API}/",
        {
            "person": str(here.returnee.pk),
            "country": "XX",
            "how": "flew",
            "channel": "bilateral",
            "notes": "x" * 4001,
        },
    )
    assert bad.status_code == 400
    assert {"country", "how", "notes", "detail"} <= set(bad.json())
    far = _place("lao-cai")
    out = _send(
        api,
        "POST",
        f"{API}/",
        {"person": str(far.returnee.pk), "country": "CN", "how": "rescued", "channel": "bilateral"},
    )
    assert out.status_code == 404
    assert not Return.objects.exists()


# --- Verification requests -----------------------------------------------------------------------


def test_a_verification_request_runs_its_steps_with_if_match_and_refuses_a_second_one(here: Place):
    record = _return(here)
    api = _client(here.officer)
    body = {
        "return_record": str(record.pk),
        "foreign_authority": "Dongxing PSB",
        "foreign_reference": "DX-7",
        "received_at": timezone.now().isoformat(),
    }
    created = _send(api, "POST", f"{API}/verifications/", body)
    assert created.status_code == 201, created.content
    request = created.json()
    assert request["status"] == "received"
    assert request["answer_due_at"]
    assert request["overdue"] is False
    assert _send(api, "POST", f"{API}/verifications/", body).status_code == 409
    base = f"{API}/verifications/{request['id']}"
    # Deciding before the check: the state refuses it.
    early = _send(
        api, "POST", f"{base}/decide/", {"confirmed": True, "basis": "x"}, version=request["version"]
    )
    assert early.status_code == 409
    assert _send(api, "POST", f"{base}/check/", {}).status_code == 428
    assert _send(api, "POST", f"{base}/check/", {}, version=request["version"] + 1).status_code == 412
    checked = _send(api, "POST", f"{base}/check/", {}, version=request["version"]).json()
    assert checked["status"] == "checked"
    assert {"documents", "has_cccd", "linkage_candidates"} <= set(checked["checks"])
    no_basis = _send(
        api, "POST", f"{base}/decide/", {"confirmed": False, "basis": ""}, version=checked["version"]
    )
    assert no_basis.status_code == 400
    assert "basis" in no_basis.json()
    decided = _send(
        api, "POST", f"{base}/decide/", {"confirmed": False, "basis": "No record"}, version=checked["version"]
    )
    assert decided.json()["status"] == "not_confirmed"
    assert decided.json()["decision_note"] == "No record"
    assert (
        _send(
            api, "POST", f"{base}/answer/", {"answer_reference": "CV-1"}, version=checked["version"]
        ).status_code
        == 412
    )
    answered = _send(
        api, "POST", f"{base}/answer/", {"answer_reference": "CV-1"}, version=decided.json()["version"]
    )
    assert answered.json()["status"] == "answered"
    assert api.get(f"{API}/verifications/?due=yes").json()["results"] == []
    assert [r["id"] for r in api.get(f"{API}/verifications/").json()["results"]] == [request["id"]]
    assert api.get(f"{API}/verifications/?due=maybe").status_code == 400
    assert AuditEvent.objects.filter(action="list", object_type="returns.verificationrequest").exists()


# --- Receptions ----------------------------------------------------------------------------------


def test_a_group_reception_through_the_api(here: Place):
    api = _client(here.officer)
    colleague = member(Role.FRONTLINE_OFFICER, agency=here.gate.agency)
    stranger = member(Role.FRONTLINE_OFFICER, agency=_place("lao-cai").gate.agency)
    body = {
        "border_gate": here.border_gate.code,
        "country": "CN",
        "channel": "bilateral",
        "received_at": timezone.now().isoformat(),
        "foreign_authority": "Dongxing",
        "officers": [str(stranger.pk)],
    }
    foreign = _send(api, "POST", f"{API}/receptions/", body)
    assert foreign.status_code == 400
    assert "officers" in foreign.json()
    assert not ReceptionEvent.objects.exists()
    body["officers"] = [str(colleague.pk)]
    opened = _send(api, "POST", f"{API}/receptions/", body)
    assert opened.status_code == 201, opened.content
    event = opened.json()
    assert set(event["officers"]) == {str(here.officer.pk), str(colleague.pk)}
    assert event["members"] == []
    assert event["member_count"] == 0
    members_url = f"{API}/receptions/{event['id']}/members/"
    known = _send(api, "POST", members_url, {"person": str(here.returnee.pk)})
    assert known.status_code == 201, known.content
    new = _send(api, "POST", members_url, {"full_name": "Lò Thị Hoa", "sex": "female", "birth_year": 2001})
    assert new.status_code == 201
    assert (known.json()["position"], new.json()["position"]) == (1, 2)
    assert (
        _send(api, "POST", members_url, {"person": str(here.returnee.pk), "full_name": "X"}).status_code
        == 400
    )
    assert _send(api, "POST", members_url, {}).status_code == 400
    assert _send(api, "POST", members_url, {"full_name": "Y", "birth_year": 2999}).status_code == 400
    first, second = known.json(), new.json()
    draft_url = f"{API}/receptions/members/{first['id']}/draft/"
    assert _send(api, "PUT", draft_url, {"draft": {"note": "tired"}}).status_code == 428
    put = _send(
        api, "PUT", draft_url, {"draft": {"note": "tired", "answers": {"q1": True}}}, version=first["version"]
    )
    assert put.status_code == 200
    assert put.json()["draft"] == {"note": "tired", "answers": {"q1": True}}
    assert _send(api, "PUT", draft_url, {"draft": {"note": "x"}}, version=first["version"]).status_code == 412
    patched = _send(
        api, "PATCH", draft_url, {"draft": {"note": None, "phone": "none"}}, version=put.json()["version"]
    )
    assert patched.json()["draft"] == {"answers": {"q1": True}, "phone": "none"}
    first = patched.json()
    screened = _send(
        api,
        "POST",
        f"{API}/receptions/members/{first['id']}/screen/",
        {"outcome": "no_concern", "data": {"traveller_name": "Vàng Thị Mỷ"}},
        version=first["version"],
    )
    assert screened.status_code == 200, screened.content
    assert screened.json()["screening_status"] == "completed"
    assert screened.json()["screening_outcome"] == "no_concern"
    again = _send(
        api,
        "POST",
        f"{API}/receptions/members/{first['id']}/screen/",
        {"outcome": "no_concern"},
        version=screened.json()["version"],
    )
    assert again.status_code == 409
    dispose_url = f"{API}/receptions/members/{first['id']}/dispose/"
    missing_who = _send(
        api, "POST", dispose_url, {"disposition": "family"}, version=screened.json()["version"]
    )
    assert missing_who.status_code == 400
    assert "handed_to" in missing_who.json()
    no_referral = _send(
        api,
        "POST",
        dispose_url,
        {"disposition": "referred", "referral": str(uuid.uuid4())},
        version=screened.json()["version"],
    )
    assert no_referral.status_code == 404
    family = _send(
        api,
        "POST",
        dispose_url,
        {"disposition": "family", "handed_to": "Mẹ"},
        version=screened.json()["version"],
    )
    assert family.json()["disposition"] == "family"
    complete_url = f"{API}/receptions/{event['id']}/complete/"
    version = ReceptionEvent.objects.get(pk=event["id"]).version
    pending = _send(api, "POST", complete_url, {"receipt_number": "BB-1"}, version=version)
    assert pending.status_code == 400
    assert "2" in pending.json()["members"][0]
    commune = Commune.objects.order_by("code").first()
    assert commune is not None
    bad_commune = _send(
        api,
        "POST",
        f"{API}/receptions/members/{second['id']}/dispose/",
        {"disposition": "commune", "commune": "99999"},
        version=second["version"],
    )
    assert bad_commune.status_code == 400
    assert "commune" in bad_commune.json()
    to_commune = _send(
        api,
        "POST",
        f"{API}/receptions/members/{second['id']}/dispose/",
        {"disposition": "commune", "commune": commune.code},
        version=second["version"],
    )
    assert to_commune.json()["commune"] == commune.code
    assert _send(api, "POST", complete_url, {"receipt_number": "BB-1"}).status_code == 428
    done = _send(
        api,
        "POST",
        complete_url,
        {"receipt_number": "BB-1", "receipt_signed_at": timezone.now().isoformat()},
        version=version,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"
    assert done.json()["member_count"] == 2
    closed = _send(api, "PUT", draft_url, {"draft": {}}, version=family.json()["version"])
    assert closed.status_code == 409
    assert Return.objects.filter(status=ReturnStatus.RECEIVED).count() == 2


def test_a_draft_over_16_kb_is_refused_and_nothing_is_saved(here: Place):
    event = _event(here)
    one = _member(here, event)
    api = _client(here.officer)
    url = f"{API}/receptions/members/{one.pk}/draft/"
    big = {"draft": {"note": "x" * (DRAFT_LIMIT_BYTES + 1)}}
    refused = _send(api, "PUT", url, big, version=one.version)
    assert refused.status_code == 400
    assert "draft" in refused.json()
    fits = _send(api, "PUT", url, {"draft": {"a": "x" * (DRAFT_LIMIT_BYTES // 2)}}, version=one.version)
    assert fits.status_code == 200
    grown = _send(
        api, "PATCH", url, {"draft": {"b": "y" * (DRAFT_LIMIT_BYTES // 2)}}, version=fits.json()["version"]
    )
    assert grown.status_code == 400
    assert "draft" in grown.json()
    nul = _send(api, "PUT", url, {"draft": {"a": "\x00"}}, version=fits.json()["version"])
    assert nul.status_code == 400
    not_object = _send(api, "PUT", url, {"draft": ["a"]}, version=fits.json()["version"])
    assert not_object.status_code == 400
    assert _fresh(ReceptionMember, one.pk).draft == {"a": "x" * (DRAFT_LIMIT_BYTES // 2)}


def test_the_reception_shows_its_first_members_inline_and_the_rest_in_its_list(here: Place, monkeypatch):
    from shield.returns.reception import api as reception_api

    monkeypatch.setattr(reception_api, "INLINE_MEMBERS", 2)
    event = _event(here)
    for name in ("Lò Thị Hoa", "Giàng Thị Sua", "Sùng A Páo"):
        _member(here, event, name)
    api = _client(here.officer)
    detail = api.get(f"{API}/receptions/{event.pk}/").json()
    assert [m["position"] for m in detail["members"]] == [1, 2]
    assert (detail["member_count"], detail["members_truncated"]) == (3, True)
    listed = api.get(f"{API}/receptions/{event.pk}/members/?page_size=2").json()
    assert [m["position"] for m in listed["results"]] == [1, 2]
    rest = api.get(listed["next"]).json()
    assert [m["position"] for m in rest["results"]] == [3]
    assert AuditEvent.objects.filter(action="view", object_id=str(event.pk)).exists()


def test_a_childs_name_is_masked_for_a_reader_who_may_not_see_it(here: Place):
    import datetime

    from shield.returns.reception import serializers as s

    child = new_person(
        full_name="Giàng Thị Sua",
        actor=here.officer,
        owner_agency=here.gate.agency,
        birth_date=datetime.date(timezone.localdate().year - 12, 1, 1),
    )
    record = services.return_record(
        actor=here.officer, person=child, country="CN", how="rescued", channel="blo"
    )

    class Reader:
        def has_perm(self, permission: str) -> bool:
            return permission != "people.see_child_names"

    shown = s.ReturnSerializer(record, context={"user": Reader()}).data["person_name"]
    assert "Giàng Thị Sua" not in shown
    assert shown.startswith("G.")
    assert s.ReturnSerializer(record, context={"user": here.officer}).data["person_name"] == "Giàng Thị Sua"


# --- Query counts --------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    """Statements of one GET, leaving out the audit write's savepoint pair."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_list_query_counts_do_not_grow_with_the_rows(here: Place):
    event = _event(here)
    _member(here, event)
    request = services.verification_receive(
        actor=here.officer, record=_return(here), foreign_authority="PSB", received_at=timezone.now()
    )
    assert request.pk
    api = _client(here.officer)
    urls = (
        f"{API}/",
        f"{API}/verifications/",
        f"{API}/verifications/?due=yes",
        f"{API}/receptions/",
        f"{API}/receptions/{event.pk}/members/",
        f"{API}/receptions/{event.pk}/",
    )
    for url in urls:
        api.get(url)  # warm caches (permissions, instrument)
    few = {url: _count(api, url) for url in urls}
    _event(here)
    for name in ("Lò Thị Hoa", "Giàng Thị Sua", "Sùng A Páo", "Vàng Thị Dính"):
        _member(here, event, name)
        services.verification_receive(
            actor=here.officer, record=_return(here), foreign_authority="PSB", received_at=timezone.now()
        )
    more = {url: _count(api, url) for url in urls}
    assert more == few
    assert max(few.values()) <= 12, few


# --- The OpenAPI schema --------------------------------------------------------------------------

VERSIONED_WRITES = {
    ("post", "/api/v1/returns/{return_id}/cancel/"),
    ("post", "/api/v1/returns/verifications/{request_id}/check/"),
    ("post", "/api/v1/returns/verifications/{request_id}/decide/"),
    ("post", "/api/v1/returns/verifications/{request_id}/answer/"),
    ("post", "/api/v1/returns/receptions/{event_id}/complete/"),
    ("put", "/api/v1/returns/receptions/members/{member_id}/draft/"),
    ("patch", "/api/v1/returns/receptions/members/{member_id}/draft/"),
    ("post", "/api/v1/returns/receptions/members/{member_id}/screen/"),
    ("post", "/api/v1/returns/receptions/members/{member_id}/dispose/"),
}


def test_the_schema_documents_every_route_its_errors_and_if_match(here: Place):
    document = _client(here.officer).get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    mine = {
        (method, path): operation
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/returns/")
        and not path.startswith(
            ("/api/v1/returns/follow-ups/", "/api/v1/returns/plans/", "/api/v1/returns/alerts/")
        )
        and not path.endswith("/support/")  # support given at reception: its own part
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert len(mine) == 21
    assert all(op["description"].startswith("Returns, verification requests") for op in mine.values())
    for key, operation in mine.items():
        assert "403" in operation["responses"], key
        if "{" in key[1]:
            assert "404" in operation["responses"], key
        if key[0] != "get":
            assert "400" in operation["responses"], key
    for key in VERSIONED_WRITES:
        operation = mine[key]
        assert {"409", "412", "428"} <= set(operation["responses"]), key
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"]), key
    assert {key for key, op in mine.items() if "412" in op["responses"]} == VERSIONED_WRITES
    filters = {p["name"] for p in document["paths"]["/api/v1/returns/"]["get"]["parameters"]}
    assert {"status", "country", "cursor", "page_size"} <= filters
