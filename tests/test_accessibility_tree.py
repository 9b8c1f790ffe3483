"""What a screen reader gets, read from Chromium's own accessibility tree: the
names, descriptions and states it would announce. axe finds none of these."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from screener import rules
from screener.forms import WORDING
from tests.i18n import say
from tests.screener_people import answers_for
from tests.screener_walker import (
    OPTIONS,
    answer_in_browser,
    asked,
    language_of,
    walk_in_browser,
)
from tests.test_screener_browser import EVERY_FLAG, EVERYTHING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARROWS = set("▸▾►▼▶▷▹▽⯈⯆›>")


@dataclass
class Node:
    role: str
    name: str
    description: str
    properties: dict[str, object]


def accessibility_nodes(page, selector: str) -> list[Node]:
    """Chromium's accessibility node for each element `selector` matches."""
    cdp = page.context.new_cdp_session(page.page if hasattr(page, "page") else page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        found = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
        nodes = []
        for node_id in found["nodeIds"]:
            tree = cdp.send(
                "Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False}
            )
            node = tree["nodes"][0]
            nodes.append(
                Node(
                    role=node.get("role", {}).get("value", ""),
                    name=node.get("name", {}).get("value", ""),
                    description=node.get("description", {}).get("value", ""),
                    properties={
                        item["name"]: item["value"].get("value")
                        for item in node.get("properties", [])
                    },
                )
            )
        return nodes
    finally:
        cdp.detach()


def send_empty(page) -> None:
    continue_ = say(language_of(urlsplit(page.url).path), "Continue")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=continue_).click()


def marker_is_drawn(page, selector: str) -> bool:
    """The disclosure's marker still shows, as a box of some size before the text."""
    return page.locator(selector).evaluate(
        """summary => {
            const before = getComputedStyle(summary, '::before');
            const size = sides => sides.reduce((sum, side) => sum + parseFloat(before[side]), 0);
            return before.content !== 'none'
                && size(['width', 'borderLeftWidth', 'borderRightWidth']) > 4
                && size(['height', 'borderTopWidth', 'borderBottomWidth']) > 4;
        }"""
    )


def test_disclosures_are_named_by_their_words_alone(browser_page, live_server):
    questions_with_why = [name for name, wording in WORDING.items() if wording.why]
    seen = []

    def check(name: str) -> None:
        if name not in questions_with_why:
            return
        seen.append(name)
        names = [node.name for node in accessibility_nodes(browser_page, "main summary")]
        assert names == ["Why we ask"]
        assert marker_is_drawn(browser_page, "main summary")

    walk_in_browser(
        browser_page, live_server.url, reverse("screener:start"), EVERYTHING, on_question=check
    )
    assert seen == questions_with_why
    sources = accessibility_nodes(browser_page, "main summary")
    assert len(sources) == len(EVERY_FLAG)
    for node in sources:
        assert node.name.startswith("Sources for"), node.name
        assert not ARROWS & set(node.name), node.name
    assert marker_is_drawn(browser_page, "main summary >> nth=0")


@pytest.mark.parametrize("kind", ["radios", "checkboxes"])
def test_an_unanswered_question_marks_its_group_not_each_option(
    browser_page, live_server, kind, language
):
    multiple = kind == "checkboxes"
    first = next(question for question in rules.QUESTIONS if question.multiple == multiple)
    answers = answers_for({})
    browser_page.goto(live_server.url + f"/{language}/screener/")
    with browser_page.expect_navigation():
        start_now = say(language, "Start now")
        browser_page.locator("main").get_by_role("link", name=start_now).click()
    while asked(browser_page) != first.name:
        answer_in_browser(browser_page, asked(browser_page), answers[asked(browser_page)])
    before = accessibility_nodes(browser_page, OPTIONS)
    assert [node.properties.get("invalid") for node in before] == ["false"] * len(before)
    send_empty(browser_page)

    message = say(language, WORDING[first.name].required)
    options = accessibility_nodes(browser_page, OPTIONS)
    assert len(options) == len(first.options)
    # Read once for the group, not "invalid" on each of five to seven options.
    assert [node.properties.get("invalid") for node in options] == ["false"] * len(options)
    assert "invalid" not in browser_page.locator("main form").aria_snapshot()
    (group,) = accessibility_nodes(browser_page, "main fieldset")
    assert group.role == "group"
    assert group.name == say(language, WORDING[first.name].question)
    assert message in group.description
    hint = say(language, WORDING[first.name].hint)
    assert group.description.index(hint) < group.description.index(message)


def test_error_summary_is_an_alert_and_takes_focus(browser_page, live_server, language):
    browser_page.goto(live_server.url + f"/{language}/screener/")
    with browser_page.expect_navigation():
        start_now = say(language, "Start now")
        browser_page.locator("main").get_by_role("link", name=start_now).click()
    name = asked(browser_page)
    send_empty(browser_page)
    summary = browser_page.locator(".error-summary")
    expect(summary).to_be_focused()
    alert = summary.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text(say(language, "There is a problem"))
    required = say(language, WORDING[name].required)
    expect(alert.get_by_role("link", name=required)).to_have_count(1)
    assert [node.role for node in accessibility_nodes(browser_page, ".error-summary [role]")] == [
        "alert"
    ]


def test_result_page_forms_are_named(browser_page, live_server):
    walk_in_browser(browser_page, live_server.url, reverse("screener:start"), answers_for({}))
    forms = accessibility_nodes(browser_page, "main form")
    assert [(node.role, node.name) for node in forms] == [
        ("form", "Start the check again"),
        ("form", "Clear my answers"),
    ]
    start_again = browser_page.get_by_role("form", name="Start the check again")
    expect(start_again.get_by_role("button", name="Start again")).to_have_count(1)
    clear = browser_page.get_by_role("form", name="Clear my answers")
    expect(clear.get_by_role("button", name="Clear my answers")).to_have_count(1)


def test_safety_page_table_is_named_by_its_caption(browser_page, live_server):
    browser_page.goto(live_server.url + "/en/is-it-safe/")
    (table,) = accessibility_nodes(browser_page, "main table")
    assert table.name == "Side effects in a study of children and teenagers"
    expect(browser_page.get_by_role("table", name=table.name)).to_have_count(1)
