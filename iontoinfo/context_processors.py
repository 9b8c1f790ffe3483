from __future__ import annotations

from functools import partial

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from iontoinfo.origin import site_origin
from iontoinfo.pages import library

# Pages that answer only a form: their twin in another language is the page
# the form was sent from (a rating's error page is shown at .../rate/).
FORM_ONLY_SUFFIXES = ("/rate/",)


def language_paths(path: str) -> dict[str, str]:
    """This address in each language. Every page has the same address in every
    language but for the prefix (/en/is-it-safe/, /it/is-it-safe/; a screener
    question's token does not depend on the language)."""
    codes = [code for code, _name in settings.LANGUAGES]
    first, _slash, rest = path.lstrip("/").partition("/")
    if first not in codes:
        rest = ""
    for suffix in FORM_ONLY_SUFFIXES:
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)] + "/"
    return {code: f"/{code}/{rest}" for code in codes}


def site(request: HttpRequest) -> dict[str, object]:
    """The navigation, built from the content files of the page's language, and
    the same page in every language (the language switcher, hreflang links)."""
    language = get_language() or settings.LANGUAGE_CODE
    pages = library().for_language(language)
    paths = language_paths(request.path)
    links = [
        {
            "code": code,
            "name": name,
            "path": paths[code],
            "home": f"/{code}/",
            "current": code == language,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "site_name": "iontoinfo",
        "nav_pages": [page for page in pages if page.kind == "health"],
        "legal_pages": [page for page in pages if page.kind == "info"],
        "language_links": links,
        # Called only by the templates that use it: the 400 page for a request
        # with a host the site does not serve must not read that host.
        "site_origin": partial(site_origin, request),
        # For a reader whose language is none of these: the address without a
        # language, which sends each browser to its language (as the sitemap says).
        "x_default_path": paths[settings.LANGUAGE_CODE].removeprefix(f"/{settings.LANGUAGE_CODE}"),
    }
