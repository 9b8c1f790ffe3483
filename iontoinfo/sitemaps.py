"""The sitemap: every public page once per language, each with its twins in
the other languages and an x-default (<xhtml:link rel="alternate">)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import get_language

from iontoinfo.pages import Page, library, page_path
from professionals.views import LAST_REVIEWED


class LanguagesSitemap(Sitemap):
    """Django lists each item in every language of settings.LANGUAGES, calling
    `location` with that language active, and adds the alternates."""

    i18n = True
    alternates = True
    x_default = True


class ContentSitemap(LanguagesSitemap):
    """Every content page, with its review date (the same in every language)."""

    def items(self) -> list[Page]:
        return library().for_language(settings.LANGUAGE_CODE)

    def location(self, item: Page) -> str:
        return page_path(get_language(), item.slug)

    def lastmod(self, item: Page) -> datetime.date | None:
        return item.last_reviewed


class ScreenerSitemap(LanguagesSitemap):
    """The screener's start page: the one screener page worth finding."""

    def items(self) -> list[str]:
        return ["screener:start"]

    def location(self, item: str) -> str:
        return reverse(item)


class ProfessionalsSitemap(LanguagesSitemap):
    """The section for healthcare professionals, with its review date."""

    def items(self) -> list[str]:
        return [f"professionals:{name}" for name in ("index", "rules", "paper_screener", "handout")]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.date:
        return LAST_REVIEWED
