"""Cursor pagination whose cursors are sealed: encrypted and signed, so no URL shows what they hold.

DRF's cursor is base64 of the position, the value of the first ordering field in the last row
shown. Ordered by name, that is a person's name (`cD1uZ3V5ZW4rdGhpK2hvYQ==` reads
`p=nguyen thi hoa`), and it lands in logs and histories with every next-page link. Sealed, the
cursor is opaque (Fernet: AES and an HMAC under a key derived from SECRET_KEY); an edited or
forged one answers 404 "Invalid cursor" as DRF's own do.
"""

import base64
from urllib import parse

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination, _positive_int
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param


def _fernet() -> Fernet:
    key = salted_hmac("shield.core.api.sealed_cursors", "key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


class SealedCursorPagination(CursorPagination):
    def encode_cursor(self, cursor: Cursor) -> str:
        tokens: dict[str, str] = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = str(cursor.position)
        sealed = _fernet().encrypt(parse.urlencode(tokens).encode()).decode("ascii")
        assert self.base_url is not None  # set by paginate_queryset before any link is made
        return replace_query_param(self.base_url, self.cursor_query_param, sealed)

    def decode_cursor(self, request: Request) -> Cursor | None:
        sealed = request.query_params.get(self.cursor_query_param)
        if sealed is None:
            return None
        try:
            tokens = parse.parse_qs(
                _fernet().decrypt(sealed.encode("ascii")).decode(), keep_blank_values=True
            )
            offset = _positive_int(tokens.get("o", ["0"])[0], cutoff=self.offset_cutoff)
            reverse = bool(int(tokens.get("r", ["0"])[0]))
            position = tokens.get("p", [None])[0]
        except (InvalidToken, UnicodeError, TypeError, ValueError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc
        # The stubs type the position as int; DRF compares it as the text it encoded, as here.
        return Cursor(offset=offset, reverse=reverse, position=position)  # type: ignore[arg-type]
