"""The site when Redis or the database fails: content keeps serving, the
screener says "try again in a minute" with the person's choice kept, /readyz
names what is down, and everything recovers without a restart."""

from __future__ import annotations

import re
import socket
import time
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.db.utils import OperationalError

from iontoinfo import views
from tests.screener_people import question_address, start

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """REDIS_URL set, pointing at a port where nothing listens."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "iontoinfo.resilience.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return url


@pytest.fixture
def database_down():
    """Every query fails, as when PostgreSQL is stopped; `up()` brings it back."""

    class Switch:
        def __init__(self) -> None:
            self.patch = mock.patch.object(
                connections["default"], "cursor", side_effect=OperationalError("down")
            )
            self.patch.start()
            self.down = True

        def up(self) -> None:
            if self.down:
                self.patch.stop()
                self.down = False

    switch = Switch()
    yield switch
    switch.up()


# --- Redis down -----------------------------------------------------------------


def test_with_redis_down_content_pages_and_404s_still_render_uncached(client, redis_down):
    with mock.patch.object(views, "render", wraps=views.render) as render:
        started = time.monotonic()
        for _ in range(3):
            response = client.get("/en/is-it-safe/")
            assert response.status_code == HTTPStatus.OK
            assert b"How useful was this page?" in response.content
        assert render.call_count == 3  # nothing could be kept
        assert time.monotonic() - started < 5
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in missing.content


def test_with_redis_down_the_screener_works_from_the_database(client, redis_down):
    first = start(client)
    response = client.post(first, {"areas": ["hands"]})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(response["Location"]).status_code == HTTPStatus.OK
    stored = Session.objects.get().get_decoded()
    assert stored["screener"]["answers"] == {"areas": ["hands"]}


def test_readyz_names_redis_when_redis_is_down(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.content.decode()
    assert "redis: unavailable" in body
    assert "database: ok" in body


def test_readyz_names_both_when_all_is_well(client, settings):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert "database: ok" in response.content.decode()


# --- The database down ------------------------------------------------------------


def test_with_the_database_down_a_health_page_shows_but_is_not_kept(client, database_down):
    response = client.get("/en/is-it-safe/")
    assert response.status_code == HTTPStatus.OK
    assert b"<h1>" in response.content
    assert b"How useful was this page?" not in response.content
    assert "public" not in response["Cache-Control"]
    database_down.up()
    # The next reader gets the whole page, rating form included: the page
    # without it was not kept.
    again = client.get("/en/is-it-safe/")
    assert b"How useful was this page?" in again.content
    assert "public" in again["Cache-Control"]


def test_readyz_is_503_naming_the_database_then_recovers(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "database: unavailable" in response.content.decode()
    database_down.up()
    assert client.get("/readyz").status_code == HTTPStatus.OK


def checked_values(html: str) -> list[str]:
    return re.findall(r'<input type="(?:radio|checkbox)"[^>]*value="([^"]+)"[^>]*checked', html)


def assert_unsaved_page(response, address: str, chosen: list[str]) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    html = response.content.decode()
    assert "We could not save your answer. Try again in a minute." in html
    assert 'class="error-summary' in html
    assert "site.css" in html  # styled, as every page
    assert checked_values(html) == chosen
    assert f'action="{address}"' in html
    assert "no-store" in response["Cache-Control"]


def test_an_answer_while_the_session_cannot_be_read_keeps_the_choice(client, database_down):
    database_down.up()
    first = start(client)
    answered = client.post(first, {"areas": ["hands"]})["Location"]
    before = Session.objects.get().session_data
    database_down.__init__()  # down again
    response = client.post(answered, {"implanted_device": "not_sure"})
    assert_unsaved_page(response, answered, ["not_sure"])
    database_down.up()
    assert Session.objects.get().session_data == before  # nothing half-saved
    # A minute later the same form, sent again, works: no restart needed.
    again = client.post(answered, {"implanted_device": "not_sure"})
    assert again.status_code == HTTPStatus.FOUND
    answers = Session.objects.get().get_decoded()["screener"]["answers"]
    assert answers == {"areas": ["hands"], "implanted_device": "not_sure"}


def test_an_answer_whose_session_cannot_be_saved_keeps_the_choice(client):
    # The session was read (from Redis, say) but the database refuses the write.
    first = start(client)
    before = Session.objects.get().session_data

    def refuse_session_writes(execute, sql, params, many, context):
        if "django_session" in sql and not sql.lstrip().upper().startswith("SELECT"):
            raise OperationalError("down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_session_writes):
        response = client.post(first, {"areas": ["hands", "feet"]})
    assert_unsaved_page(response, first, ["hands", "feet"])
    assert Session.objects.get().session_data == before
    assert client.post(first, {"areas": ["hands", "feet"]}).status_code == HTTPStatus.FOUND


def test_other_screener_pages_answer_a_styled_503_when_the_database_is_down(client, database_down):
    database_down.up()
    start(client)
    address = question_address(client, "areas")
    database_down.__init__()
    client.raise_request_exception = False
    for response in (client.get(address), client.post("/en/screener/check/")):
        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert b"Try again in a minute." in response.content
        assert response["Retry-After"] == "60"
