"""People who use the screener, as the answers they would give."""

from __future__ import annotations

import re
from http import HTTPStatus

from screener import rules

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

# Every address of the screener, the questions' included.
SCREENER_PATHS = [
    "/en/screener/",
    "/en/screener/check/",
    "/en/screener/result/",
    "/en/screener/start-again/",
    "/en/screener/clear/",
    "/en/screener/cleared/",
    "/en/screener/expired/",
    *(f"/en/screener/{question.name}/" for question in rules.QUESTIONS),
]

FLAG_PATTERN = re.compile(r'data-flag="([a-z-]+)" data-level="([a-z-]+)"')


def answers_for(person: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    return {**NOBODY_SPECIAL, **person}


def walk(client, person: dict[str, str | list[str]], language: str = "en") -> str:
    """Answer each question the screener asks, then submit; returns the result page."""
    answers = answers_for(person)
    url = f"/{language}/screener/{rules.QUESTIONS[0].name}/"
    pages = 0
    while "/check/" not in url:
        name = url.rstrip("/").rsplit("/", 1)[1]
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
