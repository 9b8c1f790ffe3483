"""The education pages: Markdown files with front matter, loaded and checked once.

Each page is ``iontoinfo/content/<language>/<slug>.md``. The front matter is
YAML between two ``---`` lines; the body is Markdown whose headings start at
``##`` (the page title is the only ``<h1>``). Links to other pages are written
``[words](page:slug)`` so that each language links within itself and a
mistyped slug is caught when the site starts, not by a patient.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

HOME = "home"
# Pages that link targets may name besides the content pages themselves.
OTHER_TARGETS = {"screener": "screener/", "professionals": "professionals/"}
KINDS = {"health", "info"}
REQUIRED = {"title", "summary", "kind", "nav_title"}
HEALTH_REQUIRED = {"last_reviewed", "next_review_due", "sources"}
OPTIONAL = {"order"}
PAGE_LINK = re.compile(r"\]\(page:([a-z0-9-]+)(#[a-z0-9-]+)?\)")
# A table's caption is the paragraph "Table: ..." right before it (Pandoc's
# way of writing one); Markdown tables have no caption of their own.
TABLE_CAPTION = re.compile(r"<p>Table: (.+?)</p>\s*<table>", flags=re.DOTALL)


class ContentError(ImproperlyConfigured):
    """A content file is broken; the message names the file."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Page:
    language: str
    slug: str
    title: str
    nav_title: str
    summary: str
    kind: str
    body: SafeString
    text: str
    last_reviewed: datetime.date | None
    next_review_due: datetime.date | None
    sources: tuple[Source, ...]
    order: int

    @property
    def is_health(self) -> bool:
        return self.kind == "health"

    @property
    def path(self) -> str:
        return page_path(self.language, self.slug)

    # Every page's rating addresses follow one scheme, /<language>/<slug>/rate/,
    # the home page's too: its own address, /<language>/, has no slug to extend.
    @property
    def rate_path(self) -> str:
        return f"/{self.language}/{self.slug}/rate/"

    @property
    def rated_path(self) -> str:
        return f"/{self.language}/{self.slug}/rated/"


def page_path(language: str, slug: str) -> str:
    if slug == HOME:
        return f"/{language}/"
    if slug in OTHER_TARGETS:
        return f"/{language}/{OTHER_TARGETS[slug]}"
    return f"/{language}/{slug}/"


def _split_front_matter(path: Path, raw: str) -> tuple[dict, str]:
    if not raw.startswith("---\n"):
        raise ContentError(f"{path}: must start with a '---' line of front matter")
    try:
        head, body = raw[4:].split("\n---\n", 1)
    except ValueError:
        raise ContentError(f"{path}: front matter has no closing '---' line") from None
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise ContentError(f"{path}: front matter must be a set of 'name: value' lines")
    return meta, body


def _date(path: Path, meta: dict, name: str) -> datetime.date:
    value = meta[name]
    # YAML turns 2026-11-20 into a date already; anything else is a mistake.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ContentError(f"{path}: '{name}' must be a date written YYYY-MM-DD, not {value!r}")
    return value


def _sources(path: Path, value: object) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise ContentError(f"{path}: 'sources' must be a list of 'title' and 'url' pairs")
    sources = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            raise ContentError(
                f"{path}: source {number} must have exactly a 'title' and a 'url', got {item!r}"
            )
        title, url = item["title"], item["url"]
        parts = urlsplit(str(url))
        if not isinstance(title, str) or not title.strip():
            raise ContentError(f"{path}: source {number} has an empty title")
        if parts.scheme != "https" or not parts.netloc:
            raise ContentError(f"{path}: source {number} url must be an https:// link, not {url!r}")
        sources.append(Source(title=title.strip(), url=str(url)))
    return tuple(sources)


def _render(path: Path, language: str, body: str, slugs: set[str]) -> str:
    if re.search(r"^# ", body, flags=re.MULTILINE):
        raise ContentError(f"{path}: headings in the body start at '##'; the title is the '#'")

    def link(match: re.Match[str]) -> str:
        slug, anchor = match.group(1), match.group(2) or ""
        if slug not in slugs and slug not in OTHER_TARGETS:
            raise ContentError(f"{path}: links to 'page:{slug}', which does not exist")
        return f"]({page_path(language, slug)}{anchor})"

    body = PAGE_LINK.sub(link, body)
    if "](page:" in body:
        raise ContentError(f"{path}: a 'page:' link is malformed")
    html = markdown.markdown(body, extensions=["attr_list", "tables", "sane_lists"])
    return _captions(path, html)


def _captions(path: Path, html: str) -> str:
    """Every table gets the caption written before it, and must have one: a
    screen reader's list of tables names each by its caption."""
    html = TABLE_CAPTION.sub(r"<table>\n<caption>\1</caption>", html)
    if "<p>Table: " in html:
        raise ContentError(f"{path}: a 'Table: ...' caption must be followed by its table")
    if html.count("<table>") != html.count("<caption>"):
        raise ContentError(
            f"{path}: every table needs a caption: write 'Table: what it shows' "
            "and a blank line before it"
        )
    return html


def load_page(path: Path, language: str, slugs: set[str]) -> Page:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{path}: is not UTF-8 text") from None
    meta, body = _split_front_matter(path, raw)
    kind = meta.get("kind")
    required = REQUIRED | (HEALTH_REQUIRED if kind == "health" else set())
    if missing := sorted(required - set(meta)):
        raise ContentError(f"{path}: front matter is missing {', '.join(missing)}")
    if unknown := sorted(set(meta) - REQUIRED - HEALTH_REQUIRED - OPTIONAL):
        raise ContentError(f"{path}: front matter has unknown field(s) {', '.join(unknown)}")
    if kind not in KINDS:
        raise ContentError(f"{path}: 'kind' must be one of {sorted(KINDS)}, not {kind!r}")
    for name in ("title", "summary", "nav_title"):
        if not isinstance(meta[name], str) or not meta[name].strip():
            raise ContentError(f"{path}: '{name}' must be some text")
    if not 50 <= len(meta["summary"]) <= 160:
        raise ContentError(f"{path}: 'summary' must be 50 to 160 characters for search results")

    reviewed = due = None
    sources: tuple[Source, ...] = ()
    if kind == "health":
        reviewed = _date(path, meta, "last_reviewed")
        due = _date(path, meta, "next_review_due")
        if due <= reviewed:
            raise ContentError(f"{path}: 'next_review_due' must come after 'last_reviewed'")
        sources = _sources(path, meta["sources"])
    elif "sources" in meta:
        sources = _sources(path, meta["sources"])

    html = _render(path, language, body, slugs)
    return Page(
        language=language,
        slug=path.stem,
        title=meta["title"].strip(),
        nav_title=meta["nav_title"].strip(),
        summary=" ".join(meta["summary"].split()),
        kind=kind,
        body=mark_safe(html),  # noqa: S308 - our own Markdown files, reviewed in git
        text=strip_tags(html),
        last_reviewed=reviewed,
        next_review_due=due,
        sources=sources,
        order=int(meta.get("order", 100)),
    )


@dataclass(frozen=True)
class Library:
    pages: dict[tuple[str, str], Page]
    version: str

    def get(self, language: str, slug: str) -> Page | None:
        return self.pages.get((language, slug))

    def for_language(self, language: str) -> list[Page]:
        found = [page for (lang, _), page in self.pages.items() if lang == language]
        return sorted(found, key=lambda page: (page.order, page.slug))


DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"


def load_library(root: Path = DEFAULT_CONTENT_DIR, languages: tuple[str, ...] = ("en",)) -> Library:
    pages: dict[tuple[str, str], Page] = {}
    digest = hashlib.sha256()
    for language in languages:
        folder = root / language
        files = sorted(folder.glob("*.md"))
        if not files:
            raise ContentError(f"{folder}: has no pages")
        slugs = {path.stem for path in files}
        if HOME not in slugs:
            raise ContentError(f"{folder}: has no {HOME}.md")
        for path in files:
            if not re.fullmatch(r"[a-z0-9-]+", path.stem):
                raise ContentError(f"{path}: file names are lower-case words joined by '-'")
            pages[(language, path.stem)] = load_page(path, language, slugs)
            digest.update(path.read_bytes())
    return Library(pages=pages, version=digest.hexdigest()[:12])


_library: Library | None = None


def library() -> Library:
    """The loaded pages; loaded by the app at start-up, so a broken file stops the site."""
    global _library  # one read-only copy per process
    if _library is None:
        languages = tuple(code for code, _ in settings.LANGUAGES)
        _library = load_library(Path(settings.CONTENT_DIR), languages)
    return _library
