"""The screener's Questionnaire in a standard FHIR forms renderer: NLM's LHC-Forms.

LHC-Forms comes from npm (tools/lhc-forms, installed by `make test`). The
test serves its files, a small harness page and the Questionnaire as the site
serves it to Chromium from this process, so nothing leaves the machine.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from professionals import fhir
from screener import forms, rules
from tests.conftest import BASE_DIR

pytestmark = pytest.mark.browser

TOOLS = BASE_DIR / "tools" / "lhc-forms"
LFORMS = TOOLS / "node_modules" / "lforms" / "dist" / "lforms"
HARNESS = TOOLS / "harness"
# A made-up origin: every request to it is answered by the test, any other refused.
ORIGIN = "http://lhc-forms.test"
TIMEOUT_MS = 30_000


class Harness:
    """Answers the page's requests from local files; records any other request."""

    def __init__(self, questionnaire: bytes) -> None:
        self.files: dict[str, tuple[bytes | Path, str]] = {
            "/": (HARNESS / "index.html", "text/html"),
            "/harness.js": (HARNESS / "harness.js", "text/javascript"),
            "/questionnaire.json": (questionnaire, "application/fhir+json"),
        }
        self.refused: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        path = urlsplit(url).path
        body: bytes | Path | None = None
        content_type = ""
        if url.startswith(ORIGIN + "/") and path in self.files:
            body, content_type = self.files[path]
        elif url.startswith(ORIGIN + "/lforms/"):
            file = (LFORMS / path.removeprefix("/lforms/")).resolve()
            if file.is_relative_to(LFORMS.resolve()) and file.is_file():
                body = file
                content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if body is None:
            self.refused.append(url)
            route.abort()
            return
        data = body.read_bytes() if isinstance(body, Path) else body
        route.fulfill(status=200, body=data, content_type=content_type)


@pytest.fixture
def lhc_form(chromium, client) -> Iterator[tuple[object, Harness, list[str]]]:
    """A page with the Questionnaire, as /fhir/Questionnaire/... serves it, in LHC-Forms."""
    if not (LFORMS / "fhir" / "lformsFHIRAll.min.js").is_file():
        pytest.fail("LHC-Forms is not installed in tools/lhc-forms: run `make lhc-forms`")
    response = client.get("/fhir/Questionnaire/iontophoresis-screener")
    harness = Harness(response.content)
    context = chromium.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", harness)
    page.goto(ORIGIN + "/")
    page.wait_for_function("document.body.dataset.state", timeout=TIMEOUT_MS)
    assert page.evaluate("document.body.dataset.state") == "loaded", page.evaluate(
        "document.body.dataset.error"
    )
    yield page, harness, errors
    context.close()


def item(page, link_id: str):
    # LHC-Forms gives each rendered item the id "item-<linkId>/<repetition>".
    return page.locator(f'[id="item-{link_id}/1"]')


def question_text(name: str) -> str:
    return str(forms.WORDING[name].question)


def choose(page, link_id: str, value: str) -> None:
    """Click an option by the words the person reads."""
    label = str(forms.WORDING[link_id].options[value])
    item(page, link_id).get_by_text(label, exact=True).click()


def shown(page, link_id: str) -> bool:
    return item(page, link_id).count() == 1 and item(page, link_id).is_visible()


def test_questionnaire_loads_in_lhc_forms_with_the_questions_always_asked(lhc_form):
    page, harness, errors = lhc_form
    for question in rules.QUESTIONS:
        if question.when is None:
            assert shown(page, question.name), question.name
            assert (
                item(page, question.name)
                .get_by_text(question_text(question.name), exact=True)
                .is_visible()
            )
            # Radio buttons for one answer, checkboxes for several, as on the site.
            role = "checkbox" if question.multiple else "radio"
            assert item(page, question.name).get_by_role(role).count() == len(question.options)
        else:
            assert not shown(page, question.name), question.name
            assert page.get_by_text(question_text(question.name), exact=True).count() == 0
    assert errors == []
    assert harness.refused == []


def test_where_the_metal_is_is_asked_only_once_there_is_metal(lhc_form):
    page, _harness, errors = lhc_form
    assert not shown(page, "metal_implant_location")
    choose(page, "metal_implant", "not_sure")
    assert not shown(page, "metal_implant_location")
    choose(page, "metal_implant", "yes")
    item(page, "metal_implant_location").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text(question_text("metal_implant_location"), exact=True).is_visible()
    choose(page, "metal_implant", "no")
    item(page, "metal_implant_location").wait_for(state="detached", timeout=TIMEOUT_MS)
    assert errors == []


def test_the_coil_question_is_asked_only_when_the_feet_are_treated(lhc_form):
    page, _harness, errors = lhc_form
    choose(page, "areas", "hands")
    assert not shown(page, "metal_iud")
    choose(page, "areas", "feet")
    item(page, "metal_iud").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text(question_text("metal_iud"), exact=True).is_visible()
    # Feet no longer ticked, hands still are: the question goes again.
    choose(page, "areas", "feet")
    item(page, "metal_iud").wait_for(state="detached", timeout=TIMEOUT_MS)
    assert errors == []


def test_lhc_forms_answers_make_a_valid_response_to_the_questions_asked(lhc_form):
    page, _harness, _errors = lhc_form
    answers = {
        "areas": ("feet",),
        "implanted_device": "no",
        "metal_implant": "yes",
        "metal_implant_location": ("legs_feet",),
        "pregnant": "no",
        "metal_iud": "not_sure",
        "conditions": ("none",),
        "skin": ("none",),
        "age": "18_plus",
        "warning_signs": ("none",),
        "severity": "2",
    }
    for name, value in answers.items():
        item(page, name).wait_for(timeout=TIMEOUT_MS)
        for choice in (value,) if isinstance(value, str) else value:
            choose(page, name, choice)
    # Then metal no longer: its follow-up answer must not be sent.
    choose(page, "metal_implant", "no")
    item(page, "metal_implant_location").wait_for(state="detached", timeout=TIMEOUT_MS)
    response = page.evaluate("window.questionnaireResponse()")
    fhir.validate(response)
    given = {
        entry["linkId"]: tuple(answer["valueCoding"]["code"] for answer in entry["answer"])
        for entry in response["item"]
    }
    expected = {name: (v,) if isinstance(v, str) else v for name, v in answers.items()}
    expected["metal_implant"] = ("no",)
    del expected["metal_implant_location"]
    assert given == expected
