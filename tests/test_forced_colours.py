"""Windows high contrast (forced colours), light and dark: the browser replaces
our colours with the system's and drops background images and shadows. A
ticked option must still look ticked, and a button still like a button."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image, ImageChops

from screener import rules
from tests.conftest import SCREENSHOTS, watch
from tests.screener_people import answers_for
from tests.screener_walker import answer_in_browser, asked, start_in_browser, walk_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMES = ["light", "dark"]
# A tick or a dot covers well over this share of a 40 px box; a focus ring or
# a stray pixel of anti-aliasing does not come near it.
MIN_CHANGED = 0.05


@pytest.fixture(params=SCHEMES)
def forced_page(request, chromium, live_server):
    context = chromium.new_context(viewport={"width": 1024, "height": 900})
    page = watch(context.new_page())
    page.emulate_media(forced_colors="active", color_scheme=request.param)
    page.scheme = request.param
    page.base = live_server.url
    yield page
    context.close()


def changed_share(before: bytes, after: bytes) -> float:
    first = Image.open(io.BytesIO(before)).convert("RGB")
    second = Image.open(io.BytesIO(after)).convert("RGB")
    assert first.size == second.size
    difference = ImageChops.difference(first, second).convert("L")
    changed = sum(difference.histogram()[33:])  # pixels that changed clearly
    return changed / (first.width * first.height)


def still(page) -> None:
    """No focus ring and no hover on the option while it is photographed."""
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")


def option_changes_when_ticked(page, name: str, value: str) -> float:
    option = page.locator(f'input[name="{name}"][value="{value}"]')
    still(page)
    before = option.screenshot()
    option.check()
    still(page)
    after = option.screenshot()
    return changed_share(before, after)


def test_a_ticked_option_looks_different_from_an_unticked_one(forced_page):
    page = forced_page
    shares = {}
    kinds = set()
    answers = answers_for({})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    start_in_browser(page, page.base, reverse("screener:start"))
    while (name := asked(page)) is not None:
        question = rules.QUESTION_BY_NAME[name]
        kinds.add("checkbox" if question.multiple else "radio")
        shares[name] = option_changes_when_ticked(page, name, question.options[0])
        page.screenshot(path=SCREENSHOTS / f"forced-{page.scheme}-{name}.png")
        page.locator(f'input[name="{name}"]').evaluate_all(
            "inputs => inputs.forEach(input => { input.checked = false; })"
        )
        answer_in_browser(page, name, answers[name])
    assert kinds == {"radio", "checkbox"}
    # The page rating's radios too.
    page.goto(page.base + "/en/treatment/")
    shares["rating"] = option_changes_when_ticked(page, "score", "4")
    faint = {where: f"{share:.1%}" for where, share in shares.items() if share < MIN_CHANGED}
    assert faint == {}, f"forced colours, {page.scheme}: ticking changes too few pixels"


BORDER = """element => {
    const style = getComputedStyle(element);
    let behind = element;
    let background = 'rgba(0, 0, 0, 0)';
    while (behind && /rgba\\(.*, 0\\)$|transparent/.test(background)) {
        background = getComputedStyle(behind).backgroundColor;
        behind = behind.parentElement;
    }
    return ['Top', 'Right', 'Bottom', 'Left'].map(side => ({
        side,
        width: parseFloat(style[`border${side}Width`]),
        colour: style[`border${side}Color`],
        background,
    }));
}"""


def edges(page, selector: str) -> list[dict]:
    found = page.locator(selector)
    assert found.count(), f"no {selector} on {page.url}"
    return [edge for index in range(found.count()) for edge in found.nth(index).evaluate(BORDER)]


def test_buttons_keep_a_visible_edge(forced_page):
    page = forced_page
    base = page.base
    seen = []
    page.goto(base + reverse("screener:start"))
    seen += [("start: a.button", edge) for edge in edges(page, "main a.button")]
    walk_in_browser(page, base, reverse("screener:start"), answers_for({}), submit=False)
    seen += [("check: button", edge) for edge in edges(page, "main button")]
    with page.expect_navigation():
        page.locator('[data-action="submit-answers"]').click()
    seen += [("result: button", edge) for edge in edges(page, "main button")]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"forced-{page.scheme}-result.png", full_page=True)
    start_in_browser(page, base, reverse("screener:start"))
    seen += [("question: button", edge) for edge in edges(page, "main button")]
    page.screenshot(path=SCREENSHOTS / f"forced-{page.scheme}-question.png")
    faint = [
        (where, edge)
        for where, edge in seen
        if edge["width"] < 1 or edge["colour"] == edge["background"]
    ]
    assert faint == [], f"forced colours, {page.scheme}: buttons without an edge"
