"""Random and hostile requests to every screener address never cause a server error."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screener import rules
from tests.screener_people import NOBODY_SPECIAL

pytestmark = pytest.mark.django_db

PATHS = [
    "/en/screener/",
    "/en/screener/check/",
    "/en/screener/result/",
    "/en/screener/start-again/",
    "/en/screener/clear/",
    "/en/screener/cleared/",
    "/en/screener/expired/",
    *(f"/en/screener/{question.name}/" for question in rules.QUESTIONS),
]
NAMES = [question.name for question in rules.QUESTIONS]
VALUES = sorted({option for question in rules.QUESTIONS for option in question.options})

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
    url = f"/en/screener/{NAMES[0]}/"
    for _ in range(steps):
        if "/check/" in url:
            client.post(url)
            break
        name = url.rstrip("/").rsplit("/", 1)[1]
        url = client.post(url, {name: NOBODY_SPECIAL[name]})["Location"]
    return client


@FUZZ
@given(path=st.sampled_from(PATHS), data=forms, steps=progress)
def test_random_form_posts_never_cause_a_server_error(path, data, steps):
    client = answered_client(steps)
    response = client.post(path, data)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
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
    response = Client().generic("POST", path, body, content_type=content_type)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@FUZZ
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]),
    path=st.sampled_from(PATHS),
)
def test_other_methods_are_refused_politely(method, path):
    response = Client().generic(method, path)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
