"""The screener in a real Chromium: every page and error state passes axe, and
the whole journey works by mouse, by keyboard alone, and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screener import rules
from tests.conftest import SCREENSHOTS, BrowserPage, watch
from tests.screener_people import answers_for
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


def choose_by_mouse(page: BrowserPage, name: str, value) -> None:
    for item in [value] if isinstance(value, str) else value:
        page.locator(f'input[name="{name}"][value="{item}"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


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


def walk(page: BrowserPage, base: str, answers: dict, choose=choose_by_mouse, check=None) -> None:
    """From the start page to the result, answering what is asked."""
    page.goto(base + "/en/screener/")
    if choose is choose_by_keyboard:
        press_enter_on(page, "main a.button")
    else:
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name="Start now").click()
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
def test_every_page_and_error_state_passes_axe(chromium, live_server, width):
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
            page.get_by_role("button", name="Continue").click()  # nothing chosen
        assert page.title().startswith("Error: ")
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()  # autofocus: no JavaScript needed
        assert_clean(page, f"{name} error")
        summary.get_by_role("link").click()
        assert page.evaluate("document.activeElement.name") == name

    walk(browser_page, live_server.url, EVERYTHING, check=check)
    assert visited == [question.name for question in rules.QUESTIONS] + ["check"]
    assert shown_flags(browser_page) == EVERY_FLAG
    assert browser_page.locator(f'[data-rules-version="{rules.RULES_VERSION}"]').count() == 1
    assert_clean(browser_page, "result with flags")
    context.close()


def test_result_without_flags_passes_axe_and_still_sends_to_a_professional(
    browser_page, live_server
):
    walk(browser_page, live_server.url, answers_for({}))
    assert shown_flags(browser_page) == set()
    assert "healthcare professional" in browser_page.locator("main").inner_text()
    assert_clean(browser_page, "result without flags")


def test_whole_journey_by_keyboard_only(browser_page, live_server):
    person = answers_for({"pregnant": "not_sure", "areas": ["feet"], "metal_iud": "no"})
    walk(browser_page, live_server.url, person, choose=choose_by_keyboard)
    assert shown_flags(browser_page) == {"pregnancy"}


def test_whole_journey_without_javascript_on_a_320_pixel_screen(chromium, live_server):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = watch(context.new_page())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page: BrowserPage, name: str) -> None:
        assert_clean(page, name, axe=False)
        page.screenshot(path=SCREENSHOTS / f"320-nojs-screener-{name}.png", full_page=True)

    person = answers_for({"metal_implant": "yes", "metal_implant_location": ["arms_hands"]})
    walk(page, live_server.url, person, check=check)
    assert shown_flags(page) == {"metal-implant"}
    assert_clean(page, "result", axe=False)
    page.screenshot(path=SCREENSHOTS / "320-nojs-screener-result.png", full_page=True)
    context.close()


def test_change_link_returns_to_the_check_page_in_the_browser(browser_page, live_server):
    walk(browser_page, live_server.url, answers_for({}))
    browser_page.goto(live_server.url + "/en/screener/check/")
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Change pregnant or could be").click()
    choose_by_mouse(browser_page, "pregnant", "yes")
    assert browser_page.url.endswith("/en/screener/check/")
    with browser_page.expect_navigation():
        browser_page.locator('[data-action="submit-answers"]').click()
    assert shown_flags(browser_page) == {"pregnancy"}


def test_print_view_fits_one_a4_page_for_the_longest_result(browser_page, live_server):
    walk(browser_page, live_server.url, EVERYTHING)
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".site-nav").is_visible()
    summary = browser_page.locator(".print-summary")
    assert summary.is_visible()
    assert "Show this to your clinician" in summary.inner_text()
    assert f"Rules version {rules.RULES_VERSION}" in summary.inner_text()
    pdf = browser_page.pdf(format="A4", print_background=False)
    (SCREENSHOTS / "result-print.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the printed summary takes {pages} A4 pages"


def test_clear_my_answers_in_the_browser(browser_page, live_server):
    walk(browser_page, live_server.url, answers_for({"pregnant": "yes"}))
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Clear my answers").click()
    assert browser_page.locator("h1").inner_text() == "Your answers have been deleted"
    assert_clean(browser_page, "cleared")
    browser_page.goto(live_server.url + "/en/screener/result/")
    assert browser_page.url == live_server.url + "/en/screener/"
