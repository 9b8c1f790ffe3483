"""Every page in a real Chromium: accessible, usable without JavaScript, fits a
320 px screen, keeps to its security policy and never calls another host."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import AXE_TAGS, SCREENSHOTS, content_paths, professionals_paths
from tests.i18n import LANGUAGE_CODES

pytestmark = pytest.mark.browser

PAGES = [
    *content_paths(),
    "/en/screener/",
    "/en/screener/expired/",
    "/en/screener/cleared/",
    *professionals_paths(),
    "/en/no-such-page/",
]

axe = Axe()


def axe_violations(page) -> list[str]:
    # axe's target-size rule measures only the part of a link inside the
    # viewport, so a link cut by the bottom edge looks tiny. Show the whole
    # page at once while axe runs, then put the window back.
    viewport = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    finally:
        page.set_viewport_size(viewport)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        f"{[node['target'] for node in violation['nodes']][:3]})"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(browser_page, live_server, path):
    browser_page.goto(live_server.url + path)
    assert axe_violations(browser_page.page) == []
    assert browser_page.csp_violations() == []
    assert browser_page.errors == []
    assert browser_page.offsite_requests() == []


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_320_pixel_screen(phone_page, live_server, path):
    phone_page.goto(live_server.url + path)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} scrolls sideways: {width}px wide"
    assert axe_violations(phone_page.page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "_") or "root"
    phone_page.screenshot(path=SCREENSHOTS / f"320-{name}.png", full_page=True)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_page_is_reachable_by_its_links_without_javascript(no_js_page, live_server, language):
    no_js_page.goto(live_server.url + f"/{language}/")
    for path in content_paths():
        if not path.startswith(f"/{language}/"):
            continue
        with no_js_page.expect_navigation():
            no_js_page.locator(f'a[href="{path}"]').first.click()
        assert no_js_page.url == live_server.url + path
        assert no_js_page.locator("h1").count() == 1
    # The other languages, by the language navigation.
    for code in LANGUAGE_CODES:
        if code != language:
            with no_js_page.expect_navigation():
                no_js_page.locator(f'nav a[hreflang="{code}"]').click()
            assert no_js_page.locator("html").get_attribute("lang") == code
            no_js_page.go_back()
    assert no_js_page.offsite_requests() == []


def test_keyboard_user_can_skip_to_the_content(browser_page, live_server):
    browser_page.goto(live_server.url + "/en/how-it-works/")
    browser_page.keyboard.press("Tab")
    skip = browser_page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "main-content"


def test_keyboard_focus_is_visible_on_links(browser_page, live_server):
    browser_page.goto(live_server.url + "/en/")
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.press("Tab")
    background = browser_page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 235, 59)"


def test_print_view_hides_navigation_and_shows_link_addresses(browser_page, live_server):
    browser_page.goto(live_server.url + "/en/is-it-safe/")
    browser_page.emulate_media(media="print")
    assert not browser_page.locator(".site-nav").is_visible()
    after = browser_page.evaluate(
        "getComputedStyle(document.querySelector('.page-sources a'), '::after').content"
    )
    assert after.startswith('" (https://')


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/en/treatment/", "/en/"])
def test_reader_can_rate_a_page(browser_page, live_server, path):
    browser_page.goto(live_server.url + path)
    browser_page.get_by_label("4").check()
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Send rating").click()
    assert browser_page.locator("h1").inner_text() == "Thank you for your rating"
    assert axe_violations(browser_page.page) == []
    with browser_page.expect_navigation():
        browser_page.get_by_role("link", name="Go back to").click()
    assert browser_page.url == live_server.url + path + "#rating-heading"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1024, 320])
def test_a_rating_without_a_number_shows_the_page_again_with_the_error(
    chromium, live_server, width
):
    context = chromium.new_context(viewport={"width": width, "height": 768})
    page = context.new_page()
    page.goto(live_server.url + "/en/treatment/")
    with page.expect_navigation():
        page.get_by_role("button", name="Send rating").click()  # nothing chosen
    assert page.title().startswith("Error: ")
    assert page.locator("h1").count() == 1
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # autofocus, applied as the page is first drawn
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "rating-1"
    # Choose a number there and send it again: now it is taken.
    page.get_by_label("4").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send rating").click()
    assert page.locator("h1").inner_text() == "Thank you for your rating"
    context.close()
