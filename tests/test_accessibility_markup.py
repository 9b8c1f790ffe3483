"""Markup that tells people where they are and how to get back: the current
section in the navigation, the check page's Back link, captions on tables."""

from __future__ import annotations

import re
import textwrap
from http import HTTPStatus

import pytest
from django.urls import reverse

from iontoinfo.pages import ContentError, load_library
from tests.screener_people import answers_for
from tests.screener_walker import Parts, html_of, path_of, submit, walk_screener
from tests.test_content import GOOD, write

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>')


def current_in_navigation(html: str) -> list[str]:
    start = html.index('<nav class="site-nav"')
    navigation = html[start : html.index("</nav>", start)]
    return CURRENT.findall(navigation)


def test_safety_check_is_the_current_section_on_every_screener_page(client):
    pages = {}

    def keep(name: str, response) -> None:
        pages[name] = html_of(response)

    start = reverse("screener:start")
    keep("start", client.get(start))
    journey = walk_screener(
        client,
        start,
        answers_for({}),
        on_question=lambda name, response: keep(name, response),
    )
    keep("check", journey.check)
    keep("result", journey.result)
    clear = Parts(html_of(journey.result)).form_with(lambda form: "clear" in form.action)
    keep("cleared", submit(client, journey.result, clear, {}, follow=True))
    keep("expired", client.get(reverse("screener:expired")))
    assert len(pages) == len(journey.questions) + 5
    for name, html in pages.items():
        assert current_in_navigation(html) == ["Safety check"], name


def test_content_page_is_current_and_the_screener_is_not(client):
    assert current_in_navigation(html_of(client.get("/en/is-it-safe/"))) == ["Is it safe?"]


def test_check_page_leads_back_to_the_last_question_answered(client):
    journey = walk_screener(
        client, reverse("screener:start"), answers_for({"areas": ["feet"], "metal_iud": "no"})
    )
    check = client.get(path_of(journey.check))
    assert check.status_code == HTTPStatus.OK
    last = client.get(Parts(html_of(check)).link("Back"))
    assert last.status_code == HTTPStatus.OK
    assert Parts(html_of(last)).question_form.option_names == [journey.questions[-1]]


def test_safety_page_table_has_a_caption(client):
    html = html_of(client.get("/en/is-it-safe/"))
    assert re.search(r"<table>\s*<caption>[^<]{10,}</caption>", html)
    assert "<p>Table:" not in html


def test_a_table_without_a_caption_is_refused(tmp_path):
    table = "\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    path = write(tmp_path, GOOD + table)
    with pytest.raises(ContentError) as error:
        load_library(tmp_path)
    assert str(path) in str(error.value)
    assert "every table needs a caption" in str(error.value)


def test_a_caption_becomes_the_caption_of_the_table_after_it(tmp_path):
    write(tmp_path, GOOD + "\n\nTable: Numbers by letter\n\n| A | B |\n|---|---|\n| 1 | 2 |\n")
    body = load_library(tmp_path).get("en", "page").body
    assert "<table>\n<caption>Numbers by letter</caption>\n<thead>" in body
    assert "Table:" not in body


def test_a_caption_with_no_table_after_it_is_refused(tmp_path):
    path = write(tmp_path, GOOD + textwrap.dedent("\n\nTable: Numbers by letter\n\nWords.\n"))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path)
    assert str(path) in str(error.value)
    assert "must be followed by its table" in str(error.value)
