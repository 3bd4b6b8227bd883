"""What a search event keeps of the words searched: a keyed hash of each folded word, never the words.

A search of personal data is audited (who looked for whom), but the audit log must not become a
second register of names that nothing can ever remove. Each word is folded (case, diacritics, đ)
and reduced to an HMAC under a key the database does not hold, truncated to 16 hex digits. Without
the key the hashes cannot be reversed by trying a dictionary of Vietnamese names; with the key an
auditor answers "did anyone search for X?" by hashing X the same way (`keys_of`) and looking for
events holding every one of its keys (the audit log's "search term" filter does exactly that).

The key is `SHIELD_AUDIT_SEARCH_KEY`, else one derived from SECRET_KEY: changing it makes older
searches unfindable by term (they stay in the chain, intact), so production sets its own.
"""

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac

# A search of more words than this is cut: the event stays small and a name has fewer words.
MAX_WORDS = 12
KEY_LENGTH = 16
_WORD = re.compile(r"\w+")


def _key() -> bytes:
    configured = str(getattr(settings, "SHIELD_AUDIT_SEARCH_KEY", "") or "")
    if configured:
        return configured.encode()
    return salted_hmac("shield.audit.search_terms", "key", algorithm="sha256").digest()


def fold(text: str) -> list[str]:
    """The words of `text` as searches compare them: lower case, no diacritics, đ as d."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def keys_of(text: str) -> list[str]:
    """The keyed hashes of the distinct folded words of `text`, sorted (word order is not kept)."""
    key = _key()
    words = list(dict.fromkeys(fold(text)))[:MAX_WORDS]
    return sorted({hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:KEY_LENGTH] for word in words})
