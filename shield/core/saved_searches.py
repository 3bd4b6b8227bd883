"""Searches of personal data kept out of URLs: what was typed lives in the session under an opaque key.

A name in a query string (`/people/?q=Nguyễn Thị Hoa`) lands in server and proxy logs, browser
history and the Referer of the next page. List pages that search persons therefore take the
search by POST (or, from an old link, a GET carrying the words once), keep its fields in the
session under a random key, and answer 303 to `?s=<key>`; page links keep only `s` and `page`. A
search without typed words (a province, a stage) needs no hiding and is redirected to plain
query parameters, so such links still work as before.

A key is only good in the session that made it and dies with it (sign-out, the idle timeout); the
session keeps the latest `SHIELD_SAVED_SEARCHES_KEPT` searches. A key that is no longer known
shows the empty list with a note to search again (`search_expired`).
"""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

PARAM = "s"
SESSION_KEY = "shield_saved_searches"
DEFAULT_KEPT = 20
# Longer values are cut: the form refuses them anyway, and the session stays small.
MAX_VALUE_LENGTH = 500


def _kept() -> int:
    return max(int(getattr(settings, "SHIELD_SAVED_SEARCHES_KEPT", DEFAULT_KEPT)), 1)


def _store(request: HttpRequest) -> dict[str, dict[str, object]]:
    store = request.session.get(SESSION_KEY)
    return dict(store) if isinstance(store, dict) else {}


def keep(request: HttpRequest, *, scope: str, data: dict[str, str]) -> str:
    """The key of this search in the session, made and stored if it is new."""
    store = _store(request)
    for key, entry in store.items():
        if entry.get("scope") == scope and entry.get("data") == data:
            return key
    key = secrets.token_urlsafe(12)
    store[key] = {"scope": scope, "data": data}
    # Oldest first (the session serialises to JSON, which keeps the order): drop the oldest.
    for old in list(store)[: max(len(store) - _kept(), 0)]:
        del store[old]
    request.session[SESSION_KEY] = store
    return key


def redirect_to_key(
    request: HttpRequest, *, scope: str, fields: Iterable[str], text_fields: Iterable[str]
) -> HttpResponse | None:
    """A 303 to the list's own URL with the search moved out of it, or None when there is none to move.

    There is one to move on a POST (the search form) and on a GET carrying typed words in
    `text_fields` (an old link or bookmark): then `?s=<key>`. A POST without typed words goes to
    the plain filters in the query string.
    """
    if request.method == "POST":
        source = request.POST
    elif any(request.GET.get(name, "").strip() for name in text_fields):
        source = request.GET
    else:
        return None
    data = {name: source.get(name, "")[:MAX_VALUE_LENGTH] for name in fields if source.get(name, "").strip()}
    query = QueryDict(mutable=True)
    if any(data.get(name, "").strip() for name in text_fields):
        query[PARAM] = keep(request, scope=scope, data=data)
    else:
        query.update(data)
    response = HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    response.status_code = 303  # after a POST, the browser fetches the list with GET
    return response


def search_data(request: HttpRequest, *, scope: str) -> tuple[QueryDict, bool]:
    """The list's search fields: the kept search of `?s=`, else the query string itself; and
    whether `?s=` named a search no longer kept (expired)."""
    key = request.GET.get(PARAM)
    if key is None:
        return request.GET, False
    entry = _store(request).get(key)
    data = QueryDict(mutable=True)
    if entry is None or entry.get("scope") != scope or not isinstance(entry.get("data"), dict):
        return data, True
    stored = entry["data"]
    assert isinstance(stored, dict)
    for name, value in stored.items():
        data[str(name)] = str(value)
    return data, False
