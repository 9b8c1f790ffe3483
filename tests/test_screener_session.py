"""The screener's session: broken or planted cookies, new keys, and the cookies' names."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client

from tests.screener_people import SCREENER_PATHS

pytestmark = pytest.mark.django_db


def wsgi_text(text: str) -> str:
    # A WSGI server hands headers to Django as bytes read as ISO-8859-1.
    return text.encode().decode("iso-8859-1")


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
        assert response.get("Location") == stale.get("Location")
