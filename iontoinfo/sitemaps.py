from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from iontoinfo.pages import Page, library


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
