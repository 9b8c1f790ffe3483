"""The translation catalogues: every template string marked for translation,
and every entry of every catalogue translated, none fuzzy."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for folder in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    for path in folder.rglob("*.html")
    if ".venv" not in path.parts
)
# Languages with a catalogue: every one but the language the code is written in.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]

COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
BLOCKS = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Attributes whose values people read or hear.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "content", "value"}
WORDS = re.compile(r"[^\W\d_]{2,}")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        named = dict(attrs)
        for name, value in attrs:
            if name not in READ_ATTRIBUTES or not value:
                continue
            # A meta tag's content is read only for its description; an
            # input's value only on buttons.
            if name == "content" and named.get("name") != "description":
                continue
            if name == "value" and named.get("type") not in {"submit", "button"}:
                continue
            self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append(data)


def unmarked(source: str) -> list[str]:
    """Words in a template that would reach a reader without passing through
    {% translate %} or {% blocktranslate %}."""
    source = COMMENTS.sub(" ", source)
    source = BLOCKS.sub(" ", source)
    source = TAGS.sub(" ", source)
    parser = VisibleText()
    parser.feed(source)
    parser.close()
    return [text.strip() for text in parser.found if WORDS.search(text)]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_template_string_is_marked_for_translation(template):
    assert unmarked(template.read_text(encoding="utf-8")) == []


def test_the_template_check_finds_unmarked_words():
    assert unmarked("<p>Hello {{ name }}</p>") == ["Hello"]
    assert unmarked('<nav aria-label="Main">') == ["Main"]
    assert unmarked('{% load i18n %}<p>{% translate "Hello" %} – {{ x }}</p>') == []
    assert unmarked("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []
    assert unmarked('<meta name="description" content="About us">') == ["About us"]


def catalogue(language: str):
    path = BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    messages = [message for message in catalogue(language) if message.id]
    assert messages
    untranslated = [
        message.id
        for message in messages
        if not (all(message.string) if message.pluralizable else message.string)
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert untranslated == []
    assert fuzzy == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|{{\s*(\w+)\s*}}")
MARKUP = re.compile(r"<(/?\w+)[^>]*>")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_the_placeholders_and_markup_of_its_original(language):
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        originals = message.id if message.pluralizable else (message.id,)
        translations = message.string if message.pluralizable else (message.string,)
        expected_names = set(PLACEHOLDER.findall(originals[-1]))
        expected_tags = sorted(MARKUP.findall(originals[-1]))
        for text in translations:
            if set(PLACEHOLDER.findall(text)) - expected_names or (
                not message.pluralizable and set(PLACEHOLDER.findall(text)) != expected_names
            ):
                wrong.append((message.id, text))
            if sorted(MARKUP.findall(text)) != expected_tags:
                wrong.append((message.id, text))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_is_compiled_from_the_current_po(language):
    """make compiles the .po; a stale .mo would show old wording."""
    folder = BASE_DIR / "locale" / language / "LC_MESSAGES"
    assert (folder / "django.mo").stat().st_mtime >= (folder / "django.po").stat().st_mtime
