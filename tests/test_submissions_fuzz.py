"""Random and malformed input at the send, clinic-code, withdraw and inbox
forms: never a server error, and nothing half-stored: either one whole,
readable submission with its audit entry, or nothing at all."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from submissions.models import REFERENCE_RE, Action, AuditEntry, Submission
from tests.submission_people import SEND, finished

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = [*SEND, "reference", "code", "q"]
text = st.text(max_size=40) | st.sampled_from(
    ["", " ", "0", "31", "2", "1987", "99999", "on", "ITO-AAAA-AAAA", "\x00", "٣", "²"]
)
forms = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), text, max_size=8)
# A valid form with some of its fields replaced by anything.
tampered = st.builds(lambda change: {**SEND, **change}, forms)


@pytest.fixture
def sender(clinic_a) -> Client:
    client = Client()
    finished(client, clinic_a.code)
    return client


def assert_whole_or_nothing(before: int) -> None:
    submissions = list(Submission.objects.all())
    assert len(submissions) in (before, before + 1)
    for submission in submissions:
        details = submission.details
        assert REFERENCE_RE.match(submission.reference)
        assert details["name"].strip()
        assert details["birth_date"]
        assert details["answers"]
        assert AuditEntry.objects.filter(
            reference=submission.reference, action=Action.RECEIVED
        ).exists()


@FUZZ
@given(data=forms | tampered)
def test_the_send_form_never_fails_and_never_half_stores(sender, data):
    before = Submission.objects.count()
    response = sender.post("/en/send-answers/", data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert_whole_or_nothing(before)
    if Submission.objects.count() > before:
        # Stored only from a whole, consented form.
        assert response.status_code == HTTPStatus.FOUND
        assert data.get("consent")
        assert data.get("full_name", "").strip()
    elif response.status_code != HTTPStatus.FOUND:  # not "already sent"
        assert response.status_code == HTTPStatus.BAD_REQUEST


@FUZZ
@given(data=forms)
def test_the_clinic_code_form_never_fails(sender, data):
    cache.clear()
    response = sender.post("/en/send-answers/clinic/", data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@FUZZ
@given(data=forms)
def test_the_withdraw_form_never_fails_and_deletes_nothing_by_chance(clinic_a, data):
    cache.clear()
    client = Client()
    finished(client, clinic_a.code)
    client.post("/en/send-answers/", SEND)
    before = Submission.objects.count()
    response = Client().post("/en/withdraw/", data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert Submission.objects.count() == before


@FUZZ
@given(data=forms, tail=st.sampled_from(["", "ITO-AAAA-AAAA/reviewed/"]))
def test_the_inbox_forms_never_fail(clinician_a, clinic_a, data, tail):
    response = clinician_a.client.post(f"/en/clinics/{clinic_a.code}/inbox/{tail}", data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.status_code != HTTPStatus.FORBIDDEN  # still signed in: the form was tried


@FUZZ
@given(
    path=st.sampled_from(["/en/send-answers/", "/en/send-answers/clinic/", "/en/withdraw/"]),
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/json",
            "text/plain; charset=utf-16",
        ]
    ),
)
def test_malformed_bodies_never_cause_a_server_error(sender, path, body, content_type):
    cache.clear()
    before = Submission.objects.count()
    response = sender.generic("POST", path, body, content_type=content_type)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert_whole_or_nothing(before)
