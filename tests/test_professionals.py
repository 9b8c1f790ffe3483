"""The section for healthcare professionals: the rules page, the paper
screener and the handout say what the rules in `screener.rules` say, and
change when the rules change."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from iontoinfo import views
from professionals.disagreements import DISAGREEMENTS
from professionals.views import LAST_REVIEWED, NEXT_REVIEW_DUE
from screener import rules
from screener.flags import FLAG_TEXT, LEVEL_TEXT
from screener.forms import WORDING
from tests.conftest import BASE_DIR, content_paths, professionals_paths
from tests.i18n import LANGUAGE_CODES, shown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read the English pages and compare them with the English
    wording in the code (lazy translations, read here in English)."""
    with translation.override("en"):
        yield


RULES = "/en/professionals/rules/"
PAPER = "/en/professionals/paper-screener/"
HANDOUT = "/en/professionals/handout/"
INDEX = "/en/professionals/"


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def element(page: str, attribute: str, value: str = "") -> str:
    """The HTML of the element carrying attribute="value" (or the bare
    attribute, without a value), up to its own end tag."""
    wanted = f'="{re.escape(value)}"' if value else r"(?=[\s>])"
    start = re.search(rf"<(\w+)\b[^>]*\b{attribute}{wanted}", page)
    assert start, f'nothing with {attribute}="{value}"'
    tag = start.group(1)
    depth = 0
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", page[start.start() :]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[start.start() : start.start() + match.end()]
    raise AssertionError(f"<{tag}> is never closed")


def text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())


def quoted(name: str, values) -> list[str]:
    return [f"“{WORDING[name].options[value]}”" for value in values]


def number(name: str) -> int:
    return [question.name for question in rules.QUESTIONS].index(name) + 1


def assert_condition_in_words(words: str, condition: rules.Condition) -> None:
    """The sentence names the question and every answer that meets the condition
    (or, for "anything but None of these", says exactly that)."""
    question = rules.QUESTION_BY_NAME[condition.question]
    assert f"question {number(question.name)}, “{WORDING[question.name].question}”" in words
    others = [value for value in question.options if value != question.exclusive]
    if question.exclusive and set(condition.values) == set(others):
        assert f"anything other than {quoted(question.name, [question.exclusive])[0]}" in words
    else:
        for label in quoted(question.name, condition.values):
            assert label in words
    for label in quoted(question.name, [v for v in question.options if v not in condition.values]):
        if not (question.exclusive and label == quoted(question.name, [question.exclusive])[0]):
            assert label not in words, f"{label} does not meet {condition}"


# --- Every page of the section -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [*content_paths(), *(f"/{code}/screener/" for code in LANGUAGE_CODES), *professionals_paths()],
)
def test_every_page_links_to_the_section_in_its_footer(client, path):
    language = path.split("/")[1]
    footer = get(client, path).split('<footer class="site-footer">', 1)[1]
    assert f'<a href="/{language}/professionals/"' in footer
    assert shown(language, "For healthcare professionals") in footer


def test_home_page_links_to_the_section(client):
    main = get(client, "/en/").split('<main id="main-content"', 1)[1]
    assert 'href="/en/professionals/">For healthcare professionals</a>' in main


@pytest.mark.parametrize("path", professionals_paths())
def test_section_pages_are_public_cacheable_and_set_no_cookie(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    assert b"csrfmiddlewaretoken" not in response.content
    assert b"<script" not in response.content
    assert b"style=" not in response.content


@pytest.mark.parametrize("path", professionals_paths())
def test_section_pages_refuse_a_post(client, path):
    assert client.post(path).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_pages_were_reviewed_since_the_current_rules_took_effect():
    # A new rules version means these pages need a clinician's review again.
    assert rules.RULES_HISTORY[0].date <= LAST_REVIEWED < NEXT_REVIEW_DUE


# --- The index page ------------------------------------------------------------


def test_index_says_the_screener_is_never_a_diagnosis_or_a_clearance(client):
    page = text(get(client, INDEX))
    assert "It is not a diagnosis." in page
    assert "It is never a clearance." in page
    for heading, advice in LEVEL_TEXT.values():
        assert str(heading) in page
        assert str(advice) in page
    assert f"The current rules version is {rules.RULES_VERSION}." in page


def test_index_links_to_the_rules_the_paper_screener_the_handout_and_the_fhir_questionnaire(
    client,
):
    page = get(client, INDEX)
    for path in (RULES, PAPER, HANDOUT, reverse("fhir_questionnaire")):
        assert f'href="{path}"' in page


def test_problems_are_reported_by_email_without_an_account(client, settings):
    settings.IONTOINFO_CONTACT_EMAIL = "rules@iontoinfo.example"
    page = get(client, INDEX)
    report = element(page, "id", "report-a-problem")
    assert "Report a problem" in report
    assert '<a href="mailto:rules@iontoinfo.example">rules@iontoinfo.example</a>' in page
    assert "You do not need an account." in text(page)
    assert "do not send us anything about a patient" in text(page)


def test_without_a_contact_setting_problems_go_to_the_sites_webmaster(client):
    assert 'href="mailto:webmaster@testserver"' in get(client, INDEX)


def test_rules_page_links_to_the_way_to_report_a_problem(client):
    assert 'href="/en/professionals/#report-a-problem"' in get(client, RULES)


# --- The rules page ------------------------------------------------------------


@pytest.mark.parametrize("question", rules.QUESTIONS, ids=lambda question: question.name)
def test_rules_page_shows_each_question_with_its_options_and_when_it_is_asked(client, question):
    section = element(get(client, RULES), "data-question", question.name)
    wording = WORDING[question.name]
    assert f"{number(question.name)}. {wording.question}" in text(section)
    shown = re.findall(r'data-option="([^"]+)"', section)
    assert shown == list(question.options)
    for value in question.options:
        assert f"“{wording.options[value]}” {value}" in text(element(section, "data-option", value))
    asked = text(element(section, "data-asked-when"))
    if question.when is None:
        assert asked == "Always asked."
    else:
        assert asked.startswith("Asked only when")
        assert_condition_in_words(asked, question.when)
    if question.exclusive:
        assert f"“{wording.options[question.exclusive]}” cannot be ticked" in text(section)


@pytest.mark.parametrize("rule", rules.FLAG_RULES, ids=lambda rule: rule.id)
def test_rules_page_shows_each_flag_with_its_level_condition_and_sources(client, rule):
    page = get(client, RULES)
    level = element(page, "id", f"level-{rule.level}")
    section = element(level, "data-flag", rule.id)
    assert f'data-level="{rule.level}"' in section
    raised = text(element(section, "data-raised-when"))
    assert raised.startswith("Raised when")
    assert_condition_in_words(raised, rule.raised_when)
    words = FLAG_TEXT[rule.id]
    assert str(words.title) in text(section)
    assert str(words.explanation) in text(section)
    assert str(words.tell_clinician) in text(section)
    links = re.findall(r'<a href="(https://[^"]+)" rel="noopener">([^<]+)</a>', section)
    assert [(html.unescape(url), html.unescape(title)) for url, title in links] == [
        (source.url, source.title) for source in words.sources
    ]


def test_rules_page_lists_the_flags_most_serious_level_first(client):
    page = get(client, RULES)
    order = [page.index(f'id="level-{level}"') for level in rules.LEVELS]
    assert order == sorted(order)
    assert re.findall(r'data-flag="([^"]+)"', page) == [
        rule.id for level in rules.LEVELS for rule in rules.FLAG_RULES if rule.level == level
    ]


def test_rules_page_says_not_sure_takes_the_safer_side_for_every_question_that_offers_it(client):
    listed = text(element(get(client, RULES), "data-not-sure"))
    for question in rules.QUESTIONS:
        if "not_sure" in question.options:
            assert (
                f"question {number(question.name)}, “{WORDING[question.name].question}”" in listed
            )
    for rule in rules.FLAG_RULES:
        if "not_sure" in rule.raised_when.values:
            assert rule.id in listed


def test_rules_page_says_when_metal_is_in_the_currents_path(client):
    page = get(client, RULES)
    lines = text(element(page, "data-metal-in-path"))
    for area, location in rules.PATH_OF_AREA.items():
        assert str(WORDING["areas"].options[area]) in lines
        assert str(WORDING["metal_implant_location"].options[location]) in lines
    assert "Somewhere else" not in lines
    assert str(FLAG_TEXT["metal-implant"].in_path_explanation) in text(page)


def test_rules_page_changes_when_a_flag_rule_changes(client, monkeypatch):
    before = get(client, RULES)
    assert 'data-flag="metal-iud" data-level="discuss"' in before
    # Suppose a review made a metal coil a reason to stop, and only a "yes".
    changed = tuple(
        dataclasses.replace(rule, level="stop", raised_when=rules.Condition("metal_iud", ("yes",)))
        if rule.id == "metal-iud"
        else rule
        for rule in rules.FLAG_RULES
    )
    monkeypatch.setattr(rules, "FLAG_RULES", changed)
    monkeypatch.setattr(rules, "FLAG_LEVEL", {rule.id: rule.level for rule in changed})
    # A rule changes with a deploy: a new build, whose pages the cache keeps
    # apart (tests/test_pages.py).
    monkeypatch.setattr(views, "BUILD_VERSION", "a-new-build")

    after = get(client, RULES)
    section = element(element(after, "id", "level-stop"), "data-flag", "metal-iud")
    assert 'data-level="stop"' in section
    raised = text(element(section, "data-raised-when"))
    assert "“Yes”" in raised
    assert "I'm not sure" not in raised
    # "I'm not sure" about a coil now raises nothing, and the page says so.
    unflagged = text(element(after, "data-not-sure-unflagged"))
    assert str(WORDING["metal_iud"].question) in unflagged
    coil = next(item for item in DISAGREEMENTS if "metal-iud" in item.flags.values())
    assert coil.screener_side() in text(after)
    assert str(LEVEL_TEXT["stop"][0]) in coil.screener_side()


def test_rules_and_paper_change_when_a_question_is_asked_differently(client, monkeypatch):
    questions = tuple(
        dataclasses.replace(question, when=None) if question.name == "metal_iud" else question
        for question in rules.QUESTIONS
    )
    monkeypatch.setattr(rules, "QUESTIONS", questions)
    monkeypatch.setattr(rules, "QUESTION_BY_NAME", {q.name: q for q in questions})
    asked = text(
        element(element(get(client, RULES), "data-question", "metal_iud"), "data-asked-when")
    )
    assert asked == "Always asked."
    paper = get(client, PAPER)
    assert "also answer question 6" not in text(paper)
    assert "data-only-if" not in element(paper, "data-question", "metal_iud")


def test_disagreements_name_real_flags_and_state_their_current_level(client):
    page = text(get(client, RULES))
    assert len(DISAGREEMENTS) == 4
    for item in DISAGREEMENTS:
        assert set(item.flags.values()) <= set(rules.FLAG_IDS)
        assert str(item.topic) in page
        assert str(item.sources_say) in page
        assert item.screener_side() in page
        for flag_id in item.flags.values():
            assert flag_id in item.screener_side()
            assert f"(“{LEVEL_TEXT[rules.FLAG_LEVEL[flag_id]][0]}”)" in item.screener_side()


def test_rules_page_shows_the_version_and_every_revision_newest_first(client):
    page = get(client, RULES)
    assert f"The current rules version is {rules.RULES_VERSION}." in text(page)
    shown = re.findall(r'data-version="([^"]+)"', page)
    assert shown == [revision.version for revision in rules.RULES_HISTORY]
    for revision in rules.RULES_HISTORY:
        entry = text(element(page, "data-version", revision.version))
        assert f"Version {revision.version}, {revision.date:%-d %B %Y}" in entry
        for change in revision.changes:
            assert change in entry
        assert revision.why in entry


def test_rules_page_shows_how_a_printed_result_carries_its_version(client):
    example = text(element(get(client, RULES), "class", "print-example"))
    # The same words as the line at the top of the printed result.
    assert re.fullmatch(
        rf"Iontophoresis screening summary from iontoinfo, testserver\. Filled in on "
        rf"\d+ \w+ \d{{4}}\. Rules version {re.escape(rules.RULES_VERSION)}\.",
        example,
    )
    result = (BASE_DIR / "templates" / "screener" / "result.html").read_text()
    assert (
        "Iontophoresis screening summary from {{ site_name }}, {{ host }}. "
        "Filled in on {{ date }}. Rules version {{ rules_version }}."
    ) in result


# --- The paper screener ----------------------------------------------------------


@pytest.mark.parametrize("question", rules.QUESTIONS, ids=lambda question: question.name)
def test_paper_screener_has_each_question_with_a_tick_box_per_option(client, question):
    section = element(get(client, PAPER), "data-question", question.name)
    assert str(WORDING[question.name].question) in text(section)
    for value in question.options:
        option = element(section, "data-option", value)
        assert '<span class="tick" aria-hidden="true"></span>' in option
        assert str(WORDING[question.name].options[value]) in text(option)
    assert ("Tick all that apply." if question.multiple else "Tick one.") in text(section)


@pytest.mark.parametrize(
    "question",
    [question for question in rules.QUESTIONS if question.when],
    ids=lambda question: question.name,
)
def test_paper_screener_writes_the_branching_as_instructions(client, question):
    paper = get(client, PAPER)
    source = rules.QUESTION_BY_NAME[question.when.question]
    answers = " or ".join(quoted(source.name, question.when.values))
    verb = "ticked" if source.multiple else "answered"
    branch = text(element(element(paper, "data-question", source.name), "data-branch"))
    assert branch == f"→ If you {verb} {answers}, also answer question {number(question.name)}."
    only_if = text(element(element(paper, "data-question", question.name), "data-only-if"))
    assert f"only if you {verb} {answers}" in only_if
    assert f"question {number(source.name)}" in only_if
    assert f"If not, go to question {number(question.name) + 1}." in only_if


def test_paper_screener_key_gives_every_flag_at_its_level(client):
    key = element(get(client, PAPER), "class", "paper-key")
    for rule in rules.FLAG_RULES:
        level = element(key, "data-level", rule.level)
        row = text(element(level, "data-flag", rule.id))
        assert row.startswith(f"{number(rule.raised_when.question)}. ")
        assert row.endswith(rule.id)
    for level in rules.LEVELS:
        assert str(LEVEL_TEXT[level][0]) in text(key)
    assert "never a clearance" in text(key)


@pytest.mark.parametrize("path", [PAPER, HANDOUT])
def test_paper_and_handout_carry_the_rules_version(client, path):
    page = get(client, path)
    assert f'data-rules-version="{rules.RULES_VERSION}"' in page
    assert f"ules version {rules.RULES_VERSION}" in text(element(page, "data-sheet"))


# --- The handout and its addresses ---------------------------------------------


def test_handout_shows_a_short_address_that_leads_to_the_screener(client):
    page = get(client, HANDOUT)
    assert "Check if iontophoresis is safe for you" in page
    assert '<p class="handout__address">testserver/screener</p>' in page
    response = client.get("/screener", headers={"accept-language": "en"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/"


@pytest.mark.parametrize("path", [PAPER, HANDOUT])
def test_qr_code_names_the_address_it_opens(client, path):
    svg = element(get(client, path), "class", "qr-code")
    assert 'role="img"' in svg
    assert "<title>QR code for the online screener: http://testserver/en/screener/</title>" in svg


@pytest.mark.parametrize("path", [PAPER, HANDOUT])
def test_qr_code_and_short_address_use_the_canonical_address_when_set(client, settings, path):
    settings.IONTOINFO_CANONICAL_URL = "https://iontoinfo.example"
    page = get(client, path)
    assert "QR code for the online screener: https://iontoinfo.example/en/screener/" in page
    assert "iontoinfo.example/screener" in page
    assert "testserver/screener" not in page


# --- Settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IONTOINFO_CANONICAL_URL", "iontoinfo.example"),
        ("IONTOINFO_CANONICAL_URL", "https://iontoinfo.example/en/"),
        ("IONTOINFO_CONTACT_EMAIL", "not an address"),
    ],
)
def test_a_bad_address_setting_stops_the_site(name, value):
    result = subprocess.run(
        [sys.executable, "-c", "import iontoinfo.settings"],
        env={**os.environ, "DJANGO_SECRET_KEY": "x" * 50, name: value},
        capture_output=True,
        text=True,
        check=False,
        cwd=BASE_DIR,
    )
    assert result.returncode != 0
    assert f"{name} must be" in result.stderr
