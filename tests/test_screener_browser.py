"""The screener in a real Chromium: every page and error state passes axe, and
the whole journey works by mouse, by keyboard alone, and without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from screener import rules
from screener.flags import ALWAYS_TEXT
from screener.forms import WORDING
from tests.conftest import SCREENSHOTS, BrowserPage, watch
from tests.i18n import say
from tests.screener_people import answers_for
from tests.screener_walker import language_of
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One person whose answers open every branch and raise every flag they can.
EVERYTHING = {
    "areas": ["hands", "feet", "underarms", "face", "other"],
    "implanted_device": "yes",
    "metal_implant": "yes",
    "metal_implant_location": ["arms_hands", "legs_feet", "elsewhere"],
    "pregnant": "yes",
    "metal_iud": "yes",
    "conditions": ["heart_rhythm", "epilepsy", "blood_clot", "cancer_in_area"],
    "skin": ["broken_skin", "infection_or_rash", "reduced_feeling"],
    "age": "under_6",
    "warning_signs": [
        "night_sweats",
        "whole_body",
        "one_side",
        "started_after_25",
        "unwell",
        "new_medicine",
    ],
    "severity": "4",
}
EVERY_FLAG = set(rules.FLAG_IDS) - {"under-18"}  # under 6 and 6 to 17 cannot both be true


def current_question(page: BrowserPage) -> str:
    """The question on the page, as its form's field name (addresses name none)."""
    names = page.locator("main form input[type=radio], main form input[type=checkbox]")
    return names.first.get_attribute("name")


def assert_clean(page: BrowserPage, where: str, axe: bool = True) -> None:
    # axe is itself JavaScript: with JavaScript off it cannot run, and the
    # same pages are checked by axe with it on.
    if axe:
        assert axe_violations(page.page) == [], where
    assert page.csp_violations() == [], where
    assert page.errors == [], where
    assert page.offsite_requests() == [], where
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{where} scrolls sideways: {width}px in {viewport}px"


def words(page: BrowserPage, text: object) -> str:
    """`text` in the language of the page the browser shows."""
    return say(language_of(urlsplit(page.url).path), text)


def choose_by_mouse(page: BrowserPage, name: str, value) -> None:
    for item in [value] if isinstance(value, str) else value:
        page.locator(f'input[name="{name}"][value="{item}"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name=words(page, "Continue")).click()


def tab_to(page: BrowserPage, selector: str) -> None:
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def press_enter_on(page: BrowserPage, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_by_keyboard(page: BrowserPage, name: str, value) -> None:
    question = rules.QUESTION_BY_NAME[name]
    if question.multiple:
        for item in value:
            tab_to(page, f'input[name="{name}"][value="{item}"]')
            page.keyboard.press("Space")
    else:
        tab_to(page, f'input[name="{name}"]')
        for _ in range(len(question.options)):
            if page.evaluate("document.activeElement.value") == value:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    press_enter_on(page, 'button[type="submit"]')


def walk(
    page: BrowserPage,
    base: str,
    answers: dict,
    choose=choose_by_mouse,
    check=None,
    language: str = "en",
) -> None:
    """From the start page to the result, answering what is asked."""
    page.goto(base + f"/{language}/screener/")
    if choose is choose_by_keyboard:
        press_enter_on(page, "main a.button")
    else:
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name=words(page, "Start now")).click()
    while "/check/" not in page.url:
        name = current_question(page)
        assert name not in page.url
        if check:
            check(page, name)
        choose(page, name, answers[name])
    if check:
        check(page, "check")
    if choose is choose_by_keyboard:
        press_enter_on(page, '[data-action="submit-answers"]')
    else:
        with page.expect_navigation():
            page.locator('[data-action="submit-answers"]').click()
    assert "/result/" in page.url


def shown_flags(page: BrowserPage) -> set[str]:
    return set(page.locator("[data-flag]").evaluate_all("els => els.map(e => e.dataset.flag)"))


@pytest.mark.parametrize("width", [1024, 320])
def test_every_page_and_error_state_passes_axe(chromium, live_server, width, language):
    context = chromium.new_context(viewport={"width": width, "height": 768})
    browser_page = watch(context.new_page())
    visited = []

    def check(page: BrowserPage, name: str) -> None:
        visited.append(name)
        assert_clean(page, name)
        if name == "check":
            return
        assert page.locator("h1").count() == 1
        assert page.locator("legend h1").count() == 1
        with page.expect_navigation():
            page.get_by_role("button", name=words(page, "Continue")).click()  # nothing chosen
        assert page.title().startswith(words(page, "Error:") + " ")
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()  # autofocus: no JavaScript needed
        assert_clean(page, f"{name} error")
        summary.get_by_role("link").click()
        assert page.evaluate("document.activeElement.name") == name

    walk(browser_page, live_server.url, EVERYTHING, check=check, language=language)
    assert visited == [question.name for question in rules.QUESTIONS] + ["check"]
    assert shown_flags(browser_page) == EVERY_FLAG
    assert browser_page.locator(f'[data-rules-version="{rules.RULES_VERSION}"]').count() == 1
    assert_clean(browser_page, "result with flags")
    context.close()


def test_result_without_flags_passes_axe_and_still_sends_to_a_professional(
    browser_page, live_server, language
):
    walk(browser_page, live_server.url, answers_for({}), language=language)
    assert shown_flags(browser_page) == set()
    assert say(language, ALWAYS_TEXT) in browser_page.locator("main").inner_text()
    assert_clean(browser_page, "result without flags")


def test_whole_journey_by_keyboard_only(browser_page, live_server, language):
    person = answers_for({"pregnant": "not_sure", "areas": ["feet"], "metal_iud": "no"})
    walk(browser_page, live_server.url, person, choose=choose_by_keyboard, language=language)
    assert shown_flags(browser_page) == {"pregnancy"}


def test_whole_journey_without_javascript_on_a_320_pixel_screen(chromium, live_server, language):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = watch(context.new_page())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page: BrowserPage, name: str) -> None:
        assert_clean(page, name, axe=False)
        shot = SCREENSHOTS / f"320-nojs-screener-{language}-{name}.png"
        page.screenshot(path=shot, full_page=True)

    person = answers_for({"metal_implant": "yes", "metal_implant_location": ["arms_hands"]})
    walk(page, live_server.url, person, check=check, language=language)
    assert shown_flags(page) == {"metal-implant"}
    assert_clean(page, "result", axe=False)
    shot = SCREENSHOTS / f"320-nojs-screener-{language}-result.png"
    page.screenshot(path=shot, full_page=True)
    context.close()


def test_change_link_returns_to_the_check_page_in_the_browser(browser_page, live_server, language):
    walk(browser_page, live_server.url, answers_for({}), language=language)
    browser_page.goto(live_server.url + f"/{language}/screener/check/")
    change = f"{say(language, 'Change')} {say(language, WORDING['pregnant'].short).lower()}"
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name=change).click()
    choose_by_mouse(browser_page, "pregnant", "yes")
    assert browser_page.url.endswith(f"/{language}/screener/check/")
    with browser_page.expect_navigation():
        browser_page.locator('[data-action="submit-answers"]').click()
    assert shown_flags(browser_page) == {"pregnancy"}


def test_print_view_fits_one_a4_page_for_the_longest_result(browser_page, live_server, language):
    walk(browser_page, live_server.url, EVERYTHING, language=language)
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".site-nav").is_visible()
    assert not browser_page.locator(".language-select").is_visible()
    summary = browser_page.locator(".print-summary")
    assert summary.is_visible()
    assert say(language, "Show this to your clinician") in summary.inner_text()
    assert f" {rules.RULES_VERSION}." in summary.inner_text()
    pdf = browser_page.pdf(format="A4", print_background=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"result-print-{language}.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the printed summary takes {pages} A4 pages"


def test_clear_my_answers_in_the_browser(browser_page, live_server, language):
    walk(browser_page, live_server.url, answers_for({"pregnant": "yes"}), language=language)
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name=say(language, "Clear my answers")).click()
    assert browser_page.locator("h1").inner_text() == say(
        language, "Your answers have been deleted"
    )
    assert_clean(browser_page, "cleared")
    browser_page.goto(live_server.url + f"/{language}/screener/result/")
    assert browser_page.url == live_server.url + f"/{language}/screener/"


def test_switching_language_mid_way_in_the_browser_keeps_the_answers(
    browser_page, live_server, language
):
    other = {"en": "it", "it": "en"}[language]
    answers = answers_for({"pregnant": "yes"})
    browser_page.goto(live_server.url + f"/{language}/screener/")
    with browser_page.expect_navigation():
        browser_page.locator("main").get_by_role(
            "link", name=words(browser_page, "Start now")
        ).click()
    for _ in range(4):
        choose_by_mouse(
            browser_page, current_question(browser_page), answers[current_question(browser_page)]
        )
    asked = current_question(browser_page)
    switcher = browser_page.get_by_role("navigation", name=say(language, "Language"))
    with browser_page.expect_navigation():
        switcher.get_by_role("link").click()
    assert browser_page.locator("html").get_attribute("lang") == other
    assert f"/{other}/screener/q/" in browser_page.url
    assert current_question(browser_page) == asked
    assert_clean(browser_page, f"{asked} after switching")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name=say(other, "Back")).click()
    assert browser_page.locator('input[name="pregnant"][value="yes"]').is_checked()
    while "/check/" not in browser_page.url:
        name = current_question(browser_page)
        choose_by_mouse(browser_page, name, answers[name])
    with browser_page.expect_navigation():
        browser_page.locator('[data-action="submit-answers"]').click()
    assert shown_flags(browser_page) == {"pregnancy"}
