from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language

from iontoinfo.pages import library


def site(request: HttpRequest) -> dict[str, object]:
    """The navigation, built from the content files of the page's language."""
    language = get_language() or "en"
    pages = library().for_language(language)
    return {
        "site_name": "iontoinfo",
        "nav_pages": [page for page in pages if page.kind == "health"],
        "legal_pages": [page for page in pages if page.kind == "info"],
    }
