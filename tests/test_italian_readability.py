"""The Italian pages: one for every English page, with the same review dates and
sources, the same shape, in plain Italian (Gulpease 60 or above) and with no
English left in the words a reader sees."""

from __future__ import annotations

import re

import pytest
import textstat

from iontoinfo.pages import Page, load_library

# 60 and above is easy reading for someone who finished middle school.
MIN_GULPEASE = 60.0
# Common English words that are not Italian words. Checked in the words a
# reader sees (title, summary, body), not in the sources, whose titles are
# the English titles of English documents.
ENGLISH_WORDS = ("the", "and", "with", "you", "your", "which", "this", "that", "should", "would")
ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b", flags=re.IGNORECASE)
HEADING = re.compile(r"<h([1-6])\b")
ANCHOR_LINK = re.compile(r'href="(/[a-z]{2}/(?:[a-z0-9-]+/)?)#([a-z0-9-]+)"')

LIBRARY = load_library(languages=("en", "it"))
ENGLISH_PAGES = {page.slug: page for page in LIBRARY.for_language("en")}
ITALIAN_PAGES = {page.slug: page for page in LIBRARY.for_language("it")}
TWINS = [
    (page, ITALIAN_PAGES[slug]) for slug, page in ENGLISH_PAGES.items() if slug in ITALIAN_PAGES
]


def visible_words(page: Page) -> str:
    return "\n".join((page.title, page.nav_title, page.summary, page.text))


def english_words_in(page: Page) -> list[str]:
    return ENGLISH.findall(visible_words(page))


def test_every_english_page_has_an_italian_twin_and_the_other_way_round():
    assert sorted(ITALIAN_PAGES) == sorted(ENGLISH_PAGES)


@pytest.mark.parametrize(("english", "italian"), TWINS, ids=lambda page: page.slug)
def test_twins_share_kind_order_and_review_dates(english, italian):
    assert (italian.kind, italian.order) == (english.kind, english.order)
    assert (italian.last_reviewed, italian.next_review_due) == (
        english.last_reviewed,
        english.next_review_due,
    )


@pytest.mark.parametrize(("english", "italian"), TWINS, ids=lambda page: page.slug)
def test_the_italian_page_cites_every_source_of_the_english_one(english, italian):
    missing = {source.url for source in english.sources} - {
        source.url for source in italian.sources
    }
    assert not missing, f"{italian.path} does not cite {sorted(missing)}"


@pytest.mark.parametrize(("english", "italian"), TWINS, ids=lambda page: page.slug)
def test_twins_have_the_same_headings_and_tables(english, italian):
    assert HEADING.findall(italian.body) == HEADING.findall(english.body)
    assert italian.body.count("<caption>") == english.body.count("<caption>")


@pytest.mark.parametrize("page", ITALIAN_PAGES.values(), ids=lambda page: page.slug)
def test_italian_page_reads_at_gulpease_60_or_above(page):
    score = textstat.gulpease_index(page.text)
    assert score >= MIN_GULPEASE, (
        f"{page.path} has a Gulpease index of {score}; shorten sentences and words"
    )


@pytest.mark.parametrize("page", ITALIAN_PAGES.values(), ids=lambda page: page.slug)
def test_no_english_words_are_left_on_an_italian_page(page):
    assert not english_words_in(page), f"{page.path} still has English: {english_words_in(page)}"


def test_the_english_word_check_finds_english_sentences():
    # The check above passes only if it can fail: every English page trips it.
    assert all(english_words_in(page) for page in ENGLISH_PAGES.values())


@pytest.mark.parametrize("page", LIBRARY.pages.values(), ids=lambda page: page.path)
def test_links_to_a_part_of_a_page_find_that_part(page):
    for path, anchor in ANCHOR_LINK.findall(page.body):
        target = next(other for other in LIBRARY.pages.values() if other.path == path)
        assert f'id="{anchor}"' in target.body, f"{page.path} links to {path}#{anchor}"
