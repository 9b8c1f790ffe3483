"""The screener driven as a person would with Django's test client: from the
start page's "Start now" link, through each question the pages ask, by the
forms and links the pages show. No question address is written down here:
the field name is read from each page's form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

from django.test import Client

from tests.i18n import say

OPTION_TYPES = {"radio", "checkbox"}


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)

    @property
    def option_names(self) -> list[str]:
        names = [i["name"] for i in self.inputs if i.get("type") in OPTION_TYPES]
        return list(dict.fromkeys(names))

    def hidden(self) -> dict[str, str]:
        return {i["name"]: i.get("value", "") for i in self.inputs if i.get("type") == "hidden"}


class Parts(HTMLParser):
    """The links (with their text) and forms (with their inputs) of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.forms: list[Form] = []
        self._link: list[str] | None = None
        self._href = ""
        self._form: Form | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in values:
            self._link, self._href = [], values["href"]
        elif tag == "form":
            self._form = Form(values.get("action", ""), values.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form.inputs.append(values)
        elif tag == "button" and self._form is not None:
            self._form.buttons.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._href, " ".join("".join(self._link).split())))
            self._link = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)

    def link(self, text: str) -> str:
        found = [href for href, words in self.links if words == text]
        assert found, f"no link named {text!r} among {self.links}"
        return found[0]

    def form_with(self, predicate: Callable[[Form], bool]) -> Form:
        found = [form for form in self.forms if predicate(form)]
        assert len(found) == 1, f"{len(found)} matching forms"
        return found[0]

    @property
    def question_form(self) -> Form | None:
        found = [form for form in self.forms if form.option_names]
        return found[0] if found else None


def path_of(response) -> str:
    """The address a response (after any redirects it followed) was served from."""
    return response.request["PATH_INFO"]


def html_of(response) -> str:
    return response.content.decode()


def submit(client: Client, response, form: Form, data: dict, **kwargs):
    """Send a form as the browser would: to its action, else to the page's own address."""
    return client.post(form.action or path_of(response), {**form.hidden(), **data}, **kwargs)


@dataclass
class Journey:
    """What a walk through the screener saw."""

    questions: list[str] = field(default_factory=list)
    check: object = None
    result: object = None


def walk_screener(
    client: Client,
    start_path: str,
    answers: dict[str, str | list[str]],
    on_question: Callable[[str, object], None] | None = None,
) -> Journey:
    """From the start page to the result. `on_question(name, response)` sees each
    question page before it is answered (and may post to it, e.g. nothing)."""
    start = client.get(start_path)
    assert start.status_code == HTTPStatus.OK
    start_now = say(language_of(start_path), "Start now")
    response = client.get(Parts(html_of(start)).link(start_now), follow=True)
    journey = Journey()
    while (form := Parts(html_of(response)).question_form) is not None:
        assert response.status_code == HTTPStatus.OK, path_of(response)
        (name,) = form.option_names
        assert name not in journey.questions, f"{name} asked twice"
        journey.questions.append(name)
        if on_question:
            on_question(name, response)
        response = submit(client, response, form, {name: answers[name]}, follow=True)
    assert response.status_code == HTTPStatus.OK, path_of(response)
    journey.check = response
    submit_answers = Parts(html_of(response)).form_with(
        lambda form: any(b.get("data-action") == "submit-answers" for b in form.buttons)
    )
    journey.result = submit(client, response, submit_answers, {}, follow=True)
    assert journey.result.status_code == HTTPStatus.OK
    return journey


# --- The same in a browser --------------------------------------------------------

OPTIONS = 'main form input[type="radio"], main form input[type="checkbox"]'


def language_of(path: str) -> str:
    """The language of an address: its first part, as in /it/screener/."""
    return path.lstrip("/").split("/", 1)[0]


def asked(page) -> str | None:
    """The field name of the question a page asks, or None on a page without one."""
    options = page.locator(OPTIONS)
    return options.first.get_attribute("name") if options.count() else None


def start_in_browser(page, base_url: str, start_path: str) -> None:
    page.goto(base_url + start_path)
    with page.expect_navigation():
        start_now = say(language_of(start_path), "Start now")
        page.locator("main").get_by_role("link", name=start_now).click()


def answer_in_browser(page, name: str, value: str | list[str]) -> None:
    for item in [value] if isinstance(value, str) else value:
        page.locator(f'input[name="{name}"][value="{item}"]').check()
    with page.expect_navigation():
        continue_ = say(language_of(urlsplit(page.url).path), "Continue")
        page.locator("main form").get_by_role("button", name=continue_).click()


def walk_in_browser(
    page,
    base_url: str,
    start_path: str,
    answers: dict[str, str | list[str]],
    on_question: Callable[[str], None] | None = None,
    submit: bool = True,
) -> list[str]:
    """From the start page to the check page (and on to the result if `submit`);
    returns the field names asked, in order."""
    start_in_browser(page, base_url, start_path)
    names: list[str] = []
    while (name := asked(page)) is not None:
        assert name not in names, f"{name} asked twice"
        names.append(name)
        if on_question:
            on_question(name)
        answer_in_browser(page, name, answers[name])
    if submit:
        with page.expect_navigation():
            page.locator('[data-action="submit-answers"]').click()
    return names
