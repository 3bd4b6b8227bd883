"""Password rules beyond Django's own, and the history of password hashes they check against.

Listed in AUTH_PASSWORD_VALIDATORS, so they apply wherever a password is set: the account services,
the password-change page and the admin's password forms.

Guessability is estimated with zxcvbn, which ships its breached-password frequency lists (no fetch
at run time) and also spots what a short list cannot: repeats (`aaaaaaaaaaaa`), keyboard walks
(`qwertyuiopas`), sequences, dates, l33t spellings, and the user's own words (username, names,
email, agency, "Shield") wrapped in digits and symbols (`Shield2026!!`). Django's
CommonPasswordValidator stays beside it as a second, plain list.
"""

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

from shield.accounts.models import PasswordHistory, User

# zxcvbn's time grows quickly with length; the first characters are enough to judge a password.
_SCORED_LENGTH = 100
# Words anyone would try against Shield in Viet Nam, whatever the account.
_SITE_WORDS = ("shield", "vietnam", "viet nam", "hanoi", "ha noi", "matkhau", "mat khau", "anhyeuem")


def fold(text: str) -> str:
    """Lower case without diacritics (đ as d), so `Hà.Nội` and `ha.noi` compare equal."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _user_words(user: Any) -> list[str]:
    if user is None:
        return list(_SITE_WORDS)
    texts = [
        getattr(user, "username", "") or "",
        getattr(user, "first_name", "") or "",
        getattr(user, "last_name", "") or "",
        (getattr(user, "email", "") or "").partition("@")[0],
    ]
    if isinstance(user, User) and user.pk is not None and not user._state.adding:
        for agency in user.memberships.filter(is_active=True).select_related("agency"):
            texts += [agency.agency.name_vi, agency.agency.name_en]
    words: set[str] = set(_SITE_WORDS)
    for text in texts:
        folded = fold(text)
        if not folded:
            continue
        words.update({folded, _alnum(folded)})
        words.update(part for part in re.split(r"[\W_]+", folded) if len(part) >= 3)
    return sorted(w for w in words if w)


_HINTS = {
    "repeat": "repeat",
    "sequence": "sequence",
    "spatial": "keyboard",
    "date": "date",
    "regex": "date",  # zxcvbn's only regex is "recent year"
}


def _hint_messages(kinds: list[str]) -> list[str]:
    texts = {
        "repeat": _("It repeats characters or words, like “aaaa” or “abcabc”."),
        "sequence": _("It follows a sequence, like “abcd” or “1234”."),
        "keyboard": _("It follows the keys of a keyboard, like “qwerty”."),
        "date": _("It contains a date or a year, which are easy to guess."),
        "common": _("It is, or is built on, a common or breached password or word."),
        "personal": _("It contains your name, your username, your agency or “Shield”."),
    }
    return [texts[kind] for kind in kinds]


class GuessabilityValidator:
    """Refuses a password zxcvbn estimates at fewer than 10^N guesses (N from settings)."""

    def __init__(self, min_guesses_log10: int | None = None) -> None:
        self._min = min_guesses_log10

    @property
    def min_guesses_log10(self) -> int:
        return self._min if self._min is not None else settings.SHIELD_PASSWORD_MIN_GUESSES_LOG10

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:_SCORED_LENGTH], user_inputs=_user_words(user))
        if result["guesses_log10"] >= self.min_guesses_log10:
            return
        kinds: list[str] = []
        for match in result["sequence"]:
            pattern = match.get("pattern")
            if pattern == "dictionary":
                kind = "personal" if match.get("dictionary_name") == "user_inputs" else "common"
            else:
                kind = _HINTS.get(pattern, "")
            if kind and kind not in kinds:
                kinds.append(kind)
        messages = [
            _("This password is too easy to guess."),
            *_hint_messages(kinds),
            _("A phrase of four or more unrelated words is long enough and easy to remember."),
        ]
        raise ValidationError([ValidationError(m, code="password_too_guessable") for m in messages])

    def get_help_text(self) -> str:
        return _(
            "Your password cannot be easy to guess: no common or breached password, no repeats, "
            "sequences or keyboard patterns, and not built on your name or username."
        )


class UsernameInPasswordValidator:
    """Refuses a password that contains the username, ignoring case, diacritics and punctuation."""

    def validate(self, password: str, user: Any = None) -> None:
        username = fold(getattr(user, "username", "") or "")
        if len(_alnum(username)) < 3:
            return
        folded = fold(password)
        if username in folded or _alnum(username) in _alnum(folded):
            raise ValidationError(
                _("Your password cannot contain your username."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("Your password cannot contain your username.")


class PasswordReuseValidator:
    """Refuses the current password and the last N (SHIELD_PASSWORD_HISTORY) again.

    Django calls `password_changed` after every save of a new password, whatever set it, so the
    history is written in one place.
    """

    def __init__(self, history: int | None = None) -> None:
        self._history = history

    @property
    def history(self) -> int:
        return self._history if self._history is not None else settings.SHIELD_PASSWORD_HISTORY

    def validate(self, password: str, user: Any = None) -> None:
        if not isinstance(user, User) or user.pk is None or user._state.adding:
            return
        hashes = [user.password, *password_history_of(user=user, limit=self.history)]
        seen: set[str] = set()
        for encoded in hashes:
            if not encoded or encoded in seen:
                continue
            seen.add(encoded)
            if check_password(password, encoded):
                raise ValidationError(
                    _("You have used this password recently: choose a new one."), code="password_reused"
                )

    def password_changed(self, password: str, user: Any = None) -> None:
        if isinstance(user, User) and user.pk is not None:
            password_history_record(user=user, keep=self.history)

    def get_help_text(self) -> str:
        return _("Your password cannot be your current one or one of your recent ones.")


def password_history_of(*, user: User, limit: int) -> list[str]:
    return list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: limit + 1])


@transaction.atomic
def password_history_record(*, user: User, keep: int) -> None:
    """Keep the hash of the password just saved; forget those older than the last `keep` + 1."""
    if not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("pk", flat=True)[keep + 1 :]
    )
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
