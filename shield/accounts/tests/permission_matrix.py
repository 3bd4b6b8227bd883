"""A reusable permission matrix: every endpoint is tried as four actors.

- anonymous: not signed in;
- other_agency: the permitted role, but in another agency and province (for a scoped list
  page, `Endpoint(scoped=True)`, it gets the page but none of the secrets);
- no_permission: a signed-in member of the right agency whose role lacks the permission;
- permitted: the actor the endpoint is for.

For each denied actor the harness asserts the refusal status, that none of the `secrets`
(text only the permitted actor may see) appear in the response, and that `snapshot()` — a
picture of the data the endpoint could change — is unchanged. For the permitted actor it
asserts the expected status and, for reads, that the secrets do appear (so the check can fail).
Later apps build Actors with their own roles and call `assert_matrix` for every endpoint.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.test import Client

from shield.accounts.models import User

DENIED_PAGE = {403, 404}
DENIED_API = {401, 403, 404}


@dataclass
class Actors:
    permitted: User
    no_permission: User
    other_agency: User | None = None

    def signed_in(self) -> dict[str, User | None]:
        actors: dict[str, User | None] = {"anonymous": None, "no_permission": self.no_permission}
        if self.other_agency is not None:
            actors["other_agency"] = self.other_agency
        actors["permitted"] = self.permitted
        return actors


@dataclass
class Endpoint:
    method: str
    url: str
    data: dict[str, Any] | None = None
    api: bool = False
    permitted_status: set[int] = field(default_factory=lambda: {200})
    # Who besides `permitted` may use it (e.g. "other_agency" for a national list).
    also_allowed: set[str] = field(default_factory=set)
    # A scoped list: other agencies get the page too, but must see none of the secrets.
    scoped: bool = False


def db_snapshot(*models: type[Model]) -> Callable[[], list[tuple[str, list[dict[str, Any]]]]]:
    """Every row of the given models, so a denied request that changed anything is caught."""

    def take() -> list[tuple[str, list[dict[str, Any]]]]:
        return [(m._meta.label, list(m._default_manager.order_by("pk").values())) for m in models]

    return take


def _request(client: Client, endpoint: Endpoint) -> Any:
    call = getattr(client, endpoint.method.lower())
    if endpoint.method.upper() in {"GET", "HEAD"}:
        return call(endpoint.url, endpoint.data or {})
    if endpoint.api:
        return call(endpoint.url, endpoint.data or {}, content_type="application/json")
    return call(endpoint.url, endpoint.data or {})


def assert_matrix(
    endpoint: Endpoint,
    actors: Actors,
    *,
    secrets: Iterable[str] = (),
    snapshot: Callable[[], Any] = lambda: None,
) -> dict[str, int]:
    """Run the matrix; returns the status each actor got (for extra assertions)."""
    secrets = [s for s in secrets if s]
    statuses: dict[str, int] = {}
    for name, user in actors.signed_in().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        before = snapshot()
        response = _request(client, endpoint)
        body = response.content.decode("utf-8", errors="replace")
        statuses[name] = response.status_code
        allowed = name == "permitted" or name in endpoint.also_allowed
        if name == "other_agency" and endpoint.scoped:
            assert response.status_code in endpoint.permitted_status, (
                f"{endpoint.url}: got {response.status_code}"
            )
            for secret in secrets:
                assert secret not in body, f"{endpoint.url} as other_agency: leaked {secret!r}"
            continue
        where = f"{endpoint.method} {endpoint.url} as {name}"
        if allowed:
            assert response.status_code in endpoint.permitted_status, f"{where}: got {response.status_code}"
            if endpoint.method.upper() == "GET":
                for secret in secrets:
                    assert secret in body, f"{where}: expected to see {secret!r}"
            continue
        if user is None and not endpoint.api:
            assert response.status_code == 302, f"{where}: expected a redirect to sign in"
            assert "/accounts/login/" in response["Location"], f"{where}: redirected elsewhere"
        else:
            expected = DENIED_API if endpoint.api else DENIED_PAGE
            assert response.status_code in expected, f"{where}: got {response.status_code}"
        for secret in secrets:
            assert secret not in body, f"{where}: leaked {secret!r}"
        assert snapshot() == before, f"{where}: data changed"
    return statuses
