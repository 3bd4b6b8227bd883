"""The Vietnamese catalogue is complete: every string the code marks is translated and compiled."""

import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from shield.core.tests.po_catalogue import read_po

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "vi" / "LC_MESSAGES" / "django.mo"


def test_every_vietnamese_entry_is_translated():
    untranslated = [e.msgid for e in read_po(PO) if not e.translated]
    assert not untranslated, f"{len(untranslated)} strings lack a vi translation: {untranslated[:20]}"


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(PO):
        if entry.msgid_plural:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            want = entry.msgstr.get(0, "")
        elif entry.msgctxt is not None:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr[0]
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr[0]
        if got != want:
            stale.append(entry.msgid)
    assert not stale, f"locale/vi django.mo is stale (run `make messages`): {stale[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (Debian gettext) is not installed")
def test_every_marked_string_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Extract the strings the code marks now and compare with the committed catalogue.

    makemessages writes into any `locale` folder under the working directory, so it runs on a
    copy of the source to leave the real catalogue alone.
    """
    source = tmp_path / "src"
    for folder in ("config", "shield", "templates"):
        shutil.copytree(
            Path(settings.BASE_DIR) / folder,
            source / folder,
            ignore=shutil.ignore_patterns("__pycache__", "tests", "migrations"),
        )
    fresh_locale = source / "locale"
    (fresh_locale / "vi" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [fresh_locale]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["vi"], verbosity=0, no_obsolete=True)
    extracted = {e.key for e in read_po(fresh_locale / "vi" / "LC_MESSAGES" / "django.po")}
    committed = {e.key: e for e in read_po(PO)}
    missing = sorted(msgid for ctx, msgid in extracted if (ctx, msgid) not in committed)
    assert not missing, f"{len(missing)} strings are not in locale/vi (run `make messages`): {missing[:20]}"
