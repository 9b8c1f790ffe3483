"""Helpers for the tests of answers sent to a clinic: a patient who finished
the screener through clinic A's link, and the form they fill in to send."""

from __future__ import annotations

import re
from http import HTTPStatus

from django.test import Client

from submissions.models import Submission
from tests.clinic_people import walk_from_start

# Answers that raise a flag at two levels: pregnancy (stop) and the face (discuss).
FLAGGED = {"areas": ["hands", "face"], "pregnant": "yes"}
NAME = "Marisol Quenby-Ashdown"
BORN = {"birth_day": "27", "birth_month": "3", "birth_year": "1987"}
BORN_ISO = "1987-03-27"
PATIENT_NUMBER = "RX448812"
SEND = {"full_name": NAME, **BORN, "patient_number": PATIENT_NUMBER, "consent": "on"}


def finished(
    client: Client, clinic_code: str | None, answers: dict | None = None, language: str = "en"
) -> str:
    """Through the clinic's link (if any) to the result; returns the result page."""
    if clinic_code:
        client.get(f"/{language}/screener/c/{clinic_code}/")
    _url, html = walk_from_start(client, FLAGGED if answers is None else answers, language=language)
    return html


def send(client: Client, data: dict | None = None, language: str = "en") -> Submission:
    response = client.post(f"/{language}/send-answers/", SEND if data is None else data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:3000]
    page = client.get(response["Location"]).content.decode()
    reference = re.search(r"data-reference>([^<]+)<", page).group(1)
    return Submission.objects.get(reference=reference)
