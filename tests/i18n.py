"""The site's languages, for tests that run the same code in each of them."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def say(language: str, text: object) -> str:
    """What a reader of `language` reads for `text`: an English message (as
    marked for translation) or a lazy translation from the code."""
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def shown(language: str, text: object) -> str:
    """`say`, as it appears in a page's HTML. Wording from the code reaches
    the page through {{ variables }}, which escape apostrophes and quotes;
    a template's own {% translate "..." %} does not."""
    words = say(language, text)
    return words if isinstance(text, str) else str(escape(words))
