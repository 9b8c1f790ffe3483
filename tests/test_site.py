"""Every page in the sitemap, checked the way a search engine and a careful reader would."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest

from tests.conftest import content_paths, health_paths, professionals_paths
from tests.i18n import LANGUAGE_CODES, shown

pytestmark = pytest.mark.django_db


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.h1_count = 0
        self.title = ""
        self.in_title = False
        # An inline <svg> has a <title> of its own: the page's is in <head>.
        self.in_head = False
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "head":
            self.in_head = True
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "title" and self.in_head:
            self.in_title = True
        elif tag == "meta" and attributes.get("name"):
            self.meta[attributes["name"]] = attributes.get("content") or ""
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag == "head":
            self.in_head = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def sitemap_paths(client) -> list[str]:
    body = client.get("/sitemap.xml").content.decode()
    return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", body)]


def parse(client, path: str) -> PageParser:
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


PUBLIC_PATHS = [
    *content_paths(),
    *(f"/{code}/screener/" for code in LANGUAGE_CODES),
    *professionals_paths(),
]


def test_sitemap_holds_every_page_and_nothing_else(client):
    assert sorted(sitemap_paths(client)) == sorted(PUBLIC_PATHS)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_page_has_the_parts_every_page_needs(client, path):
    page = parse(client, path)
    assert page.h1_count == 1
    assert page.lang == path.split("/")[1]
    assert page.title.strip().endswith("– iontoinfo")
    assert 50 <= len(page.meta["description"]) <= 160
    assert page.canonical == f"http://testserver{path}"


@pytest.mark.parametrize("path", [*health_paths(), *professionals_paths()])
def test_health_page_shows_sources_and_review_dates(client, path):
    body = client.get(path).content.decode()
    sources = body.split('id="sources-heading"', 1)[1]
    assert re.search(r'<li><a href="https://[^"]+" rel="noopener">[^<]+</a></li>', sources)
    language = path.split("/")[1]
    for label in ("Page last reviewed:", "Next review due:"):
        label = re.escape(shown(language, label))
        assert re.search(label + r'</dt> <dd><time datetime="\d{4}-\d\d-\d\d">', body)


def test_no_internal_link_is_broken(client):
    checked: dict[str, int] = {}
    for path in sitemap_paths(client):
        for href in parse(client, path).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#"):
                continue
            if parts.path not in checked:
                # "Start now" redirects to the first question: followed, it works.
                checked[parts.path] = client.get(parts.path, follow=True).status_code
    broken = {path: status for path, status in checked.items() if status != HTTPStatus.OK}
    assert not broken
    assert "/en/screener/" in checked
