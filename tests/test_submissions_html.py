"""Every new page and state of sending answers to a clinic is valid HTML, by
the Nu HTML Checker (installed by `make test`)."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.i18n import LANGUAGE_CODES
from tests.screener_walker import html_of
from tests.submission_people import BORN, SEND, finished, send
from tests.test_html_validity import run_vnu

pytestmark = pytest.mark.django_db


def collect(clinic_a, clinician_a, admin_a, settings, language: str = "en") -> dict[str, str]:
    """Every page and state of sending, taking back and reading answers, in
    `language`, by name."""
    pages: dict[str, str] = {}

    def keep(name: str, response, status: int = HTTPStatus.OK) -> None:
        assert response.status_code == status, (name, response.status_code)
        pages[name] = html_of(response)

    code = clinic_a.code
    keep("inbox-empty", clinician_a.client.get(f"/{language}/clinics/{code}/inbox/"))
    keep("audit-empty", admin_a.client.get(f"/{language}/clinics/{code}/audit/"))
    nobody = Client()
    keep("no-answers", nobody.get(f"/{language}/send-answers/"))
    keep("withdraw", nobody.get(f"/{language}/withdraw/"))
    keep("withdraw-errors", nobody.post(f"/{language}/withdraw/", {}), HTTPStatus.BAD_REQUEST)
    keep(
        "withdraw-not-found",
        nobody.post(f"/{language}/withdraw/", {"reference": "ITO-AAAA-AAAA", **BORN}),
        HTTPStatus.BAD_REQUEST,
    )
    keep("withdrawn", nobody.get(f"/{language}/withdraw/done/"))

    walker = Client()
    keep("result-without-clinic", Response(finished(walker, None, language=language)))
    keep("choose-clinic", walker.get(f"/{language}/send-answers/clinic/"))
    keep(
        "choose-clinic-error",
        walker.post(f"/{language}/send-answers/clinic/", {"code": "?"}),
        HTTPStatus.BAD_REQUEST,
    )

    patient = Client()
    keep("result-with-clinic", Response(finished(patient, code, language=language)))
    keep("send", patient.get(f"/{language}/send-answers/"))
    keep("send-errors", patient.post(f"/{language}/send-answers/", {}), HTTPStatus.BAD_REQUEST)
    keep(
        "send-impossible-date",
        patient.post(f"/{language}/send-answers/", {**SEND, "birth_day": "31", "birth_month": "2"}),
        HTTPStatus.BAD_REQUEST,
    )
    submission = send(patient, language=language)
    keep("sent", patient.get(f"/{language}/send-answers/sent/"))

    inbox = f"/{language}/clinics/{code}/inbox/"
    keep("inbox", clinician_a.client.get(inbox))
    keep("inbox-search", clinician_a.client.post(inbox, {"q": submission.reference}))
    keep("inbox-no-match", clinician_a.client.post(inbox, {"q": "nobody"}))
    detail = f"{inbox}{submission.reference}/"
    keep("answers", clinician_a.client.get(detail))
    keep("print", clinician_a.client.get(detail + "print/"))
    clinician_a.client.post(detail + "reviewed/")
    keep("answers-reviewed", clinician_a.client.get(detail))
    keep("delete", clinician_a.client.get(detail + "delete/"))
    clinician_a.client.post(detail + "delete/")
    keep("inbox-deleted", clinician_a.client.get(inbox))
    keep("audit", admin_a.client.get(f"/{language}/clinics/{code}/audit/"))

    settings.SUBMISSIONS_TRIES_PER_HOUR = 0
    keep("too-many-tries", nobody.post(f"/{language}/withdraw/", {}), HTTPStatus.TOO_MANY_REQUESTS)
    return pages


class Response:
    """A page already read, for `keep`."""

    status_code = HTTPStatus.OK

    def __init__(self, html: str) -> None:
        self.content = html.encode()
        self.html = html


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_new_page_and_state_is_valid_html(
    clinic_a, clinician_a, admin_a, settings, tmp_path, language
):
    pages = collect(clinic_a, clinician_a, admin_a, settings, language)
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
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
    assert len(files) == 25
