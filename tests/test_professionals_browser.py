"""The paper screener and the clinic handout as they print from Chromium: on
the promised number of A4 pages, with QR codes a phone can read."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from screener import rules
from screener.forms import WORDING
from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

PAPER = "/en/professionals/paper-screener/"
HANDOUT = "/en/professionals/handout/"
# The paper screener is one sheet, front and back; the handout one side.
MOST_PAGES = {PAPER: 2, HANDOUT: 1}


def printed(page, path: str) -> bytes:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{path.strip('/').replace('/', '_')}.pdf").write_bytes(pdf)
    return pdf


def read_qr(page) -> list[str]:
    """What a phone's camera reads from the QR code as it prints."""
    shot = page.locator(".qr-code").screenshot()
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


@pytest.mark.parametrize(("path", "most"), MOST_PAGES.items())
def test_sheet_prints_on_the_promised_number_of_a4_pages(browser_page, live_server, path, most):
    browser_page.goto(live_server.url + path)
    pages = PdfReader(io.BytesIO(printed(browser_page, path))).pages
    assert 1 <= len(pages) <= most, f"{path} prints on {len(pages)} A4 pages"
    for sheet in pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        # A4 is 595 by 842 points; Chromium rounds up to whole pixels.
        assert abs(width - 595) < 2
        assert abs(height - 842) < 2


@pytest.mark.parametrize("path", MOST_PAGES)
def test_only_the_sheet_prints(browser_page, live_server, path):
    browser_page.goto(live_server.url + path)
    browser_page.emulate_media(media="print")
    assert browser_page.locator("[data-sheet]").is_visible()
    for hidden in (".site-header", ".site-footer", "h1", ".page-sources"):
        assert not browser_page.locator(hidden).first.is_visible(), hidden
    text = browser_page.locator("[data-sheet]").inner_text()
    assert f"ules version {rules.RULES_VERSION}" in text


def test_paper_screener_puts_the_questions_on_the_front_and_the_key_on_the_back(
    browser_page, live_server
):
    browser_page.goto(live_server.url + PAPER)
    pages = PdfReader(io.BytesIO(printed(browser_page, PAPER))).pages
    front, back = (" ".join(page.extract_text().split()) for page in pages)
    last = rules.QUESTIONS[-1]
    assert f"{len(rules.QUESTIONS)}. {WORDING[last.name].question}" in front
    assert "Key for the clinician" not in front
    assert "Key for the clinician" in back


@pytest.mark.parametrize("path", MOST_PAGES)
def test_qr_code_opens_the_online_screener(browser_page, live_server, path):
    browser_page.goto(live_server.url + path)
    assert read_qr(browser_page) == [live_server.url + "/en/screener/"]
    browser_page.emulate_media(media="print")
    assert read_qr(browser_page) == [live_server.url + "/en/screener/"]
    assert browser_page.offsite_requests() == []


def test_qr_code_opens_the_canonical_address_when_one_is_set(browser_page, live_server, settings):
    settings.IONTOINFO_CANONICAL_URL = "https://iontoinfo.example"
    browser_page.goto(live_server.url + HANDOUT)
    browser_page.emulate_media(media="print")
    assert read_qr(browser_page) == ["https://iontoinfo.example/en/screener/"]


def test_section_is_reachable_from_the_footer_without_javascript(no_js_page, live_server):
    no_js_page.goto(live_server.url + "/en/how-it-works/")
    with no_js_page.expect_navigation():
        no_js_page.locator("footer").get_by_role(
            "link", name="For healthcare professionals"
        ).click()
    assert no_js_page.locator("h1").inner_text() == "For healthcare professionals"
    for name, heading in (
        ("The screener's rules in full", "The screener's rules in full"),
        ("A paper screener", "A paper screener"),
        ("A handout for your clinic", "A handout for your clinic"),
    ):
        no_js_page.goto(live_server.url + "/en/professionals/")
        with no_js_page.expect_navigation():
            no_js_page.locator("main").get_by_role("link", name=name, exact=True).click()
        assert no_js_page.locator("h1").inner_text() == heading
    assert no_js_page.offsite_requests() == []
