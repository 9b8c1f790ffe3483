"""The screener's session: broken or planted cookies, new keys, and the cookies' names."""

from __future__ import annotations

import re
from http import HTTPStatus
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from tests.screener_people import SCREENER_PATHS, START_NOW, question_at, start, walk

pytestmark = pytest.mark.django_db


def wsgi_text(text: str) -> str:
    # A WSGI server hands headers to Django as bytes read as ISO-8859-1.
    return text.encode().decode("iso-8859-1")


def kind(location: str | None) -> str | None:
    return location and re.sub(r"/q/[^/]+/", "/q/<token>/", location)


BAD_KEYS = {
    "quote and NULs": '"' + "\x00" * 40,
    "NUL inside": "abcdefgh\x00ijklmnopqrstuvwxyz012345",
    "overlong": "a" * 5000,
    "non-ASCII": wsgi_text("ключ-сессии-ünïcødé-0123456789"),
    "upper case": "A" * 32,
    "wrong length": "a" * 31,
}


@pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS.keys())
@pytest.mark.parametrize("path", SCREENER_PATHS)
def test_a_malformed_session_cookie_is_treated_as_no_session(path, key):
    # It gets what a well-formed key of a session long gone gets.
    client = Client(raise_request_exception=False)
    for method in ("GET", "POST"):
        response = client.generic(method, path, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}")
        stale = client.generic(
            method, path, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={'0' * 32}"
        )
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (method, path)
        assert response.status_code == stale.status_code
        # Each session has its own question addresses: compare their kind.
        assert kind(response.get("Location")) == kind(stale.get("Location"))


# --- A new key when a person starts ---------------------------------------------


SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def reads_answers(key: str) -> bool:
    """Whether someone holding this session key can see any answers."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    response = other.get("/en/screener/check/", follow=True)
    return "Check your answers" in response.content.decode() or any(
        "answers" in value for value in SessionStore(key).load().values()
    )


def test_a_session_cookie_planted_before_the_start_reads_none_of_the_answers():
    # Someone gets a real session key of their own, then plants it in
    # another person's browser.
    planter = Client()
    planter.post(start(planter), {"areas": ["hands"]})
    planted = session_key(planter)
    person = Client()
    person.cookies[settings.SESSION_COOKIE_NAME] = planted
    walk(person, {"pregnant": "yes"})
    assert session_key(person) != planted
    assert not reads_answers(planted)
    assert "Pregnant" not in planter.get("/en/screener/check/", follow=True).content.decode()


def test_start_now_mid_journey_gives_a_new_key_and_keeps_the_answers(client):
    second = client.post(start(client), {"areas": ["hands"]})["Location"]
    before = session_key(client)
    page = client.get("/en/screener/").content.decode()
    response = client.get(re.search(START_NOW.format(label="Start now"), page).group(1))
    assert session_key(client) != before
    assert not reads_answers(before)
    # Back where the person was, at the same address as before.
    assert response["Location"] == second
    assert question_at(client, second) == "implanted_device"
    assert client.session["screener"]["answers"] == {"areas": ["hands"]}


def test_start_again_gives_a_new_key_and_drops_the_answers_but_keeps_a_referral(client):
    walk(client, {"pregnant": "yes"})
    session = client.session
    session["referral"] = "CLINIC-7"
    session.save()
    before = session_key(client)
    response = client.post("/en/screener/start-again/")
    assert session_key(client) != before
    assert not reads_answers(before)
    assert question_at(client, response["Location"]) == "areas"
    assert client.session["referral"] == "CLINIC-7"
    assert not client.session["screener"].get("answers")
    assert client.get("/en/screener/result/")["Location"] == response["Location"]


def test_clear_my_answers_removes_everything_the_referral_too(client):
    walk(client, {"pregnant": "yes"})
    session = client.session
    session["referral"] = "CLINIC-7"
    session.save()
    before = session_key(client)
    client.post("/en/screener/clear/")
    assert dict(client.session) == {}
    assert SessionStore(before).load() == {}
