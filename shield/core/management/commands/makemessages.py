"""`makemessages` without msgmerge's fuzzy matching.

A new English text that resembles an old one was given the old one's Vietnamese, marked fuzzy
("Suspended" became "kết thúc"); the catalogue test then failed and, worse, a hasty fix could ship
the wrong text. Without guesses a new string is simply untranslated, and the test names it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
