"""Random and hostile requests to every screener address never cause a server error."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screener import rules
from tests.screener_people import (
    NOBODY_SPECIAL,
    SCREENER_PATHS,
    question_address,
    question_at,
    start,
)

pytestmark = pytest.mark.django_db

NAMES = [question.name for question in rules.QUESTIONS]
VALUES = sorted({option for question in rules.QUESTIONS for option in question.options})
# The fixed addresses, and each question's address in the client's own session.
PATHS = [*SCREENER_PATHS, *NAMES]

field_names = st.sampled_from(NAMES) | st.text(max_size=20)
field_values = st.lists(st.sampled_from(VALUES) | st.text(max_size=30), max_size=6)
forms = st.dictionaries(field_names, field_values, max_size=5)
# How far into the screener the person already is when the odd request arrives.
progress = st.integers(min_value=0, max_value=len(NAMES) + 1)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def answered_client(steps: int) -> Client:
    client = Client()
    url = start(client)
    for _ in range(steps):
        if "/check/" in url:
            client.post(url)
            break
        name = question_at(client, url)
        url = client.post(url, {name: NOBODY_SPECIAL[name]})["Location"]
    return client


def address(client: Client, path: str) -> str:
    return question_address(client, path) if path in NAMES else path


@FUZZ
@given(path=st.sampled_from(PATHS), data=forms, steps=progress)
def test_random_form_posts_never_cause_a_server_error(path, data, steps):
    client = answered_client(steps)
    response = client.post(address(client, path), data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    if "screener" in client.session:  # not after "Clear my answers"
        path = address(client, path)
    assert client.get(path).status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@FUZZ
@given(
    path=st.sampled_from(PATHS),
    body=st.binary(max_size=3000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
            "application/x-www-form-urlencoded; charset=nonsense",
        ]
    ),
)
def test_malformed_bodies_never_cause_a_server_error(path, body, content_type):
    client = Client()
    start(client)
    response = client.generic("POST", address(client, path), body, content_type=content_type)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@FUZZ
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]),
    path=st.sampled_from(PATHS),
)
def test_other_methods_are_refused_politely(method, path):
    client = Client()
    start(client)
    response = client.generic(method, address(client, path))
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@FUZZ
@given(path=st.sampled_from(SCREENER_PATHS), key=st.text(max_size=60))
def test_any_session_cookie_never_causes_a_server_error(path, key):
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={key.encode().decode('iso-8859-1')}"
    client = Client(raise_request_exception=False)
    for method in ("GET", "POST"):
        response = client.generic(method, path, HTTP_COOKIE=cookie)
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
