"""People who use the screener, as the answers they would give."""

from __future__ import annotations

import re
from http import HTTPStatus

from django.urls import reverse

from screener import rules
from tests.i18n import shown

NOBODY_SPECIAL: dict[str, str | list[str]] = {
    "areas": ["hands"],
    "implanted_device": "no",
    "metal_implant": "no",
    "pregnant": "no",
    "conditions": ["none"],
    "skin": ["none"],
    "age": "18_plus",
    "warning_signs": ["none"],
    "severity": "3",
}

PEOPLE: dict[str, tuple[dict[str, str | list[str]], set[str]]] = {
    "no flags": ({}, set()),
    "pacemaker": ({"implanted_device": "yes"}, {"implanted-device"}),
    "pregnant, not sure": ({"pregnant": "not_sure"}, {"pregnancy"}),
    "metal plate in the arm, treating hands": (
        {"metal_implant": "yes", "metal_implant_location": ["arms_hands"]},
        {"metal-implant"},
    ),
    "coil, treating feet": ({"areas": ["feet"], "metal_iud": "yes"}, {"metal-iud"}),
    "a child of 4": ({"age": "under_6"}, {"young-child"}),
    "night sweats": ({"warning_signs": ["night_sweats"]}, {"other-cause"}),
}

# The screener's addresses that are the same for everyone; each question's
# address belongs to one person's session (question_address).
SCREENER_PATHS = [
    "/en/screener/",
    "/en/screener/begin/",
    "/en/screener/check/",
    "/en/screener/result/",
    "/en/screener/start-again/",
    "/en/screener/clear/",
    "/en/screener/cleared/",
    "/en/screener/expired/",
    "/en/screener/q/0123456789abcdef/",
]

FLAG_PATTERN = re.compile(r'data-flag="([a-z-]+)" data-level="([a-z-]+)"')


def answers_for(person: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    return {**NOBODY_SPECIAL, **person}


START_NOW = r'<a class="button" href="([^"]+)"[^>]*>{label}</a>'
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)"')


def start(client, language: str = "en") -> str:
    """Follow the start page's "Start now"; returns the first question's address."""
    page = client.get(f"/{language}/screener/").content.decode()
    label = re.escape(shown(language, "Start now"))
    url = re.search(START_NOW.format(label=label), page).group(1)
    response = client.get(url)
    return response["Location"] if response.status_code == HTTPStatus.FOUND else url


def field_name(html: str) -> str:
    """The question a page asks, as the name of its form's field."""
    names = set(CHOICE.findall(html))
    assert len(names) == 1, names
    return names.pop()


def question_at(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    return field_name(response.content.decode())


def question_address(client, name: str, language: str = "en") -> str:
    """Where this client's session asks the question `name`."""
    from django.utils import translation

    from screener.views import question_token

    token = question_token(client.session["screener"]["salt"], name)
    with translation.override(language):
        return reverse("screener:question", args=[token])


def walk(client, person: dict[str, str | list[str]], language: str = "en") -> str:
    """Answer each question the screener asks, then submit; returns the result page."""
    answers = answers_for(person)
    url = start(client, language)
    pages = 0
    while "/check/" not in url:
        name = question_at(client, url)
        response = client.post(url, {name: answers[name]})
        assert response.status_code == HTTPStatus.FOUND, (name, response.content[:2000])
        url = response["Location"]
        pages += 1
        assert pages <= len(rules.QUESTIONS)
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    result = client.get(response["Location"])
    assert result.status_code == HTTPStatus.OK
    return result.content.decode()


def shown_flags(html: str) -> dict[str, str]:
    return dict(FLAG_PATTERN.findall(html))
