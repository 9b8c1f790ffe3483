"""The words the result page shows for each flag: complete, sourced, and plain."""

from __future__ import annotations

import re

import pytest
import textstat
from django.utils import translation

from iontoinfo.pages import load_library
from screener.flags import ALWAYS_TEXT, FLAG_TEXT, LEVEL_TEXT, NO_FLAGS_TEXT, SEVERITY_TEXT
from screener.forms import WORDING
from screener.rules import FLAG_IDS, LEVELS

MAX_GRADE = 9.0
MAX_EXPLANATION_WORDS = 60
# Every Italian text at a Gulpease index of 60 or more: easy for someone with
# a middle-school education.
MIN_GULPEASE = 60


@pytest.fixture(autouse=True)
def _in_english():
    """The texts are written in English; the Italian ones are checked below."""
    with translation.override("en"):
        yield


def as_sentences(*parts: str | None) -> str:
    """Join texts into one passage; a heading without a full stop ends as a sentence."""
    return " ".join(
        str(part) if part.endswith((".", "?", "!")) else f"{part}." for part in parts if part
    )


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(str(text))


def every_text() -> list[str]:
    texts = [NO_FLAGS_TEXT, ALWAYS_TEXT, *SEVERITY_TEXT.values()]
    for heading, sentence in LEVEL_TEXT.values():
        texts += [heading, sentence]
    for text in FLAG_TEXT.values():
        texts += [text.title, text.explanation, text.tell_clinician]
        if text.in_path_explanation:
            texts.append(text.in_path_explanation)
    return [str(text) for text in texts]


def test_every_flag_has_its_wording_and_there_are_no_extra_ones():
    assert set(FLAG_TEXT) == set(FLAG_IDS)


def test_every_level_has_a_heading_and_a_sentence():
    assert set(LEVEL_TEXT) == set(LEVELS)
    for heading, sentence in LEVEL_TEXT.values():
        assert heading.strip()
        assert sentence.strip()


def test_every_hdss_answer_has_a_meaning():
    assert set(SEVERITY_TEXT) == {"1", "2", "3", "4"}
    for value in ("1", "2"):
        assert "mild to moderate" in SEVERITY_TEXT[value]
    for value in ("3", "4"):
        assert "severe" in SEVERITY_TEXT[value]


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_every_flag_cites_one_to_four_sources_with_a_title_and_an_https_link(flag_id):
    sources = FLAG_TEXT[flag_id].sources
    assert 1 <= len(sources) <= 4
    assert len(set(sources)) == len(sources)
    for source in sources:
        assert source.title.strip()
        assert source.url.startswith("https://")


def test_a_source_cited_on_a_content_page_has_the_same_title_here():
    titles_on_pages = {
        source.url: source.title
        for page in load_library().pages.values()
        for source in page.sources
    }
    for text in FLAG_TEXT.values():
        for source in text.sources:
            if source.url in titles_on_pages:
                assert source.title == titles_on_pages[source.url], source.url


def test_only_the_metal_implant_flag_has_wording_for_metal_in_the_current_path():
    with_in_path = [flag_id for flag_id, text in FLAG_TEXT.items() if text.in_path_explanation]
    assert with_in_path == ["metal-implant"]
    assert "Do not start" in FLAG_TEXT["metal-implant"].in_path_explanation


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_every_flag_is_explained_briefly_and_says_what_to_tell_the_clinician(flag_id):
    text = FLAG_TEXT[flag_id]
    assert text.title.strip()
    assert not text.title.endswith(".")
    assert len(text.explanation.split()) <= MAX_EXPLANATION_WORDS
    assert text.tell_clinician.startswith("Tell them")


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_every_flag_reads_at_grade_9_or_below(flag_id):
    text = FLAG_TEXT[flag_id]
    passage = as_sentences(
        text.title, text.explanation, text.tell_clinician, text.in_path_explanation
    )
    assert grade(passage) <= MAX_GRADE


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_reads_at_grade_9_or_below(level):
    assert grade(as_sentences(*LEVEL_TEXT[level])) <= MAX_GRADE


@pytest.mark.parametrize(
    "text",
    [NO_FLAGS_TEXT, ALWAYS_TEXT, *SEVERITY_TEXT.values()],
    ids=["no-flags", "always", *(f"severity-{value}" for value in SEVERITY_TEXT)],
)
def test_the_result_texts_read_at_grade_9_or_below(text):
    assert grade(text) <= MAX_GRADE


@pytest.mark.parametrize("flag_id", FLAG_IDS)
def test_every_flag_reads_easily_in_italian(flag_id):
    text = FLAG_TEXT[flag_id]
    with translation.override("it"):
        passage = as_sentences(
            text.title, text.explanation, text.tell_clinician, text.in_path_explanation
        )
    assert passage != as_sentences(text.title, text.explanation, text.tell_clinician)
    assert textstat.gulpease_index(passage) >= MIN_GULPEASE, passage


def test_the_result_texts_read_easily_in_italian():
    with translation.override("it"):
        texts = [str(text) for text in (NO_FLAGS_TEXT, ALWAYS_TEXT, *SEVERITY_TEXT.values())]
        texts += [as_sentences(*LEVEL_TEXT[level]) for level in LEVELS]
    for text in texts:
        assert textstat.gulpease_index(text) >= MIN_GULPEASE, text


def test_every_result_sends_the_person_to_a_healthcare_professional():
    assert "healthcare professional" in NO_FLAGS_TEXT
    assert "healthcare professional" in ALWAYS_TEXT
    assert "not a diagnosis" in NO_FLAGS_TEXT
    assert "not a diagnosis" in ALWAYS_TEXT


def test_no_text_tells_a_person_it_is_safe_for_them_or_to_go_ahead():
    for text in every_text():
        assert "go ahead" not in text.lower()
        # "safe for you" only ever follows a "not": "it does not mean it is safe for you".
        for match in re.finditer("safe for you", text, flags=re.IGNORECASE):
            assert " not " in text[max(0, match.start() - 25) : match.start()], text


@pytest.mark.parametrize("name", list(WORDING))
def test_every_question_reads_easily_in_italian(name):
    words = WORDING[name]
    with translation.override("it"):
        passage = as_sentences(words.question, words.hint, *words.options.values(), words.why)
    assert textstat.gulpease_index(passage) >= MIN_GULPEASE, passage
