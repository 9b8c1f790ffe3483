"""Month names, given again in our own catalogue.

Dates are written "23 November 2026" (the `date:"j F Y"` filter), and the
month's name comes from Django's catalogue. Django's Italian one capitalises
it ("23 Novembre 2026"), but in Italian a month's name is written in lower
case ("23 novembre 2026"). Our catalogue comes first (LOCALE_PATHS), so these
entries, the same words Django translates, give the right form. Nothing
imports this module: it is here for `makemessages` to find the words.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
