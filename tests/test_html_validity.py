"""Every page and state the site shows is valid HTML, by the Nu HTML Checker
(vnu.jar, installed by `make test`). Invalid markup is where assistive
technology starts to guess: a role it does not know, a label pointing nowhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from iontoinfo import views
from screener import rules
from tests.conftest import BASE_DIR
from tests.i18n import LANGUAGE_CODES
from tests.screener_people import answers_for
from tests.screener_walker import Parts, html_of, submit, walk_screener
from tests.test_screener_browser import EVERY_FLAG, EVERYTHING

pytestmark = pytest.mark.django_db

VNU_JAR = BASE_DIR / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
SITEMAP_NS = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def run_vnu(files: list[Path]) -> list[dict]:
    """One run of the checker over every file (the JVM is slow to start)."""
    if not Path(JAVA).exists() or not VNU_JAR.exists():
        pytest.fail(f"The HTML check needs Java ({JAVA}) and {VNU_JAR}: run `make test`")
    done = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # vnu writes its report on standard error.
    return json.loads(done.stderr)["messages"]


def collect(client: Client) -> dict[str, str]:
    """The HTML of every page and state, by a name that says which."""
    pages: dict[str, str] = {}

    def keep(name: str, response, status: int = HTTPStatus.OK) -> None:
        assert response.status_code == status, (name, response.status_code)
        assert name not in pages
        pages[name] = html_of(response)

    # Everything the sitemap lists: the content pages and the screener's start.
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - ours
    paths = [urlsplit(loc.text).path for loc in sitemap.iterfind(".//sitemap:loc", SITEMAP_NS)]
    assert paths
    for path in paths:
        keep(f"page{path}", client.get(path))

    for language in LANGUAGE_CODES:
        collect_language(client, language, paths, keep)
    return pages


def server_error(language: str):
    with translation.override(language):
        return views.server_error(RequestFactory().get(f"/{language}/"))


def collect_language(client: Client, language: str, paths: list[str], keep) -> None:
    """Every state of the error pages, the rating and the screener in one language."""
    # Error pages, each as the site serves it.
    keep(f"{language}-error-404", client.get(f"/{language}/no-such-page/"), HTTPStatus.NOT_FOUND)
    keep(
        f"{language}-error-400",
        client.get(f"/{language}/", HTTP_HOST="evil.example"),
        HTTPStatus.BAD_REQUEST,
    )
    rate = next(
        form.action
        for path in paths
        if path.startswith(f"/{language}/") and path.count("/") > 2  # not a home page
        for form in Parts(html_of(client.get(path))).forms
        if form.action.endswith("/rate/")
    )
    keep(
        f"{language}-error-403",
        client.post(rate, {"score": "4"}, HTTP_ORIGIN="https://evil.example"),
        HTTPStatus.FORBIDDEN,
    )
    strict = Client(enforce_csrf_checks=True)
    keep(
        f"{language}-error-403-csrf",
        strict.post(f"/{language}/screener/start-again/"),
        HTTPStatus.FORBIDDEN,
    )
    keep(
        f"{language}-error-500",
        server_error(language),
        HTTPStatus.INTERNAL_SERVER_ERROR,
    )

    # A rating sent without a number: the page again, with the error.
    keep(
        f"{language}-rating-error",
        client.post(rate, {}, HTTP_ORIGIN="http://testserver"),
        HTTPStatus.BAD_REQUEST,
    )
    # The rating's thank-you page.
    keep(
        f"{language}-rated",
        client.post(rate, {"score": "4"}, HTTP_ORIGIN="http://testserver", follow=True),
    )

    # The screener: each question and its error state, with both branches open.
    start = f"/{language}/screener/"

    def question_and_error(name: str, response) -> None:
        keep(f"{language}-question-{name}", response)
        form = Parts(html_of(response)).question_form
        keep(
            f"{language}-question-{name}-error",
            submit(client, response, form, {}),
            HTTPStatus.BAD_REQUEST,
        )

    journey = walk_screener(client, start, EVERYTHING, on_question=question_and_error)
    assert journey.questions == [question.name for question in rules.QUESTIONS]
    keep(f"{language}-check", journey.check)
    keep(f"{language}-result-every-flag", journey.result)
    assert html_of(journey.result).count("data-flag=") == len(EVERY_FLAG)

    # "Start again", then a person with nothing to flag.
    again = Parts(html_of(journey.result)).form_with(lambda form: "again" in form.action)
    restarted = submit(client, journey.result, again, {}, follow=True)
    assert Parts(html_of(restarted)).question_form is not None
    plain = walk_screener(client, start, answers_for({}))
    keep(f"{language}-result-no-flags", plain.result)
    assert "data-flag=" not in html_of(plain.result)

    clear = Parts(html_of(plain.result)).form_with(lambda form: "clear" in form.action)
    keep(f"{language}-cleared", submit(client, plain.result, clear, {}, follow=True))
    keep(f"{language}-expired", client.get(f"/{language}/screener/expired/"))


def test_every_page_and_state_is_valid_html(client, tmp_path):
    pages = collect(client)
    files = []
    for name, html in pages.items():
        path = tmp_path / (name.strip("/").replace("/", "_") + ".html")
        path.write_text(html, encoding="utf-8")
        files.append(path)
    messages = run_vnu(files)
    problems = [
        f"{Path(urlsplit(m.get('url', '')).path).name}:{m.get('lastLine', '?')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in {"error", "non-document-error"} or m.get("subType") == "fatal"
    ]
    assert problems == [], f"{len(problems)} errors in {len(files)} pages:\n" + "\n".join(problems)
    # The walk really reached what it says: every question, both results, errors.
    assert len(files) >= (len(rules.QUESTIONS) * 2 + 10) * len(LANGUAGE_CODES)
