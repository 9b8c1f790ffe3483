from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from iontoinfo.pages import Page, library
from professionals.views import LAST_REVIEWED


class ContentSitemap(Sitemap):
    """Every content page in every language, with its review date."""

    def items(self) -> list[Page]:
        languages = [code for code, _ in settings.LANGUAGES]
        return [page for language in languages for page in library().for_language(language)]

    def location(self, item: Page) -> str:
        return item.path

    def lastmod(self, item: Page) -> datetime.date | None:
        return item.last_reviewed


class ScreenerSitemap(Sitemap):
    """The screener's start page in every language: the one screener page worth finding."""

    def items(self) -> list[str]:
        return [code for code, _ in settings.LANGUAGES]

    def location(self, item: str) -> str:
        return f"/{item}/screener/"


class ProfessionalsSitemap(Sitemap):
    """The section for healthcare professionals, in every language, with its review date."""

    def items(self) -> list[tuple[str, str]]:
        names = ("index", "rules", "paper_screener", "handout")
        return [(code, name) for code, _ in settings.LANGUAGES for name in names]

    def location(self, item: tuple[str, str]) -> str:
        language, name = item
        with translation.override(language):
            return reverse(f"professionals:{name}")

    def lastmod(self, item: tuple[str, str]) -> datetime.date:
        return LAST_REVIEWED
