"""The education pages as a browser or a shared cache sees them."""

from __future__ import annotations

from http import HTTPStatus
from unittest import mock

import pytest

from iontoinfo import views
from tests.conftest import content_paths

pytestmark = pytest.mark.django_db


def test_root_sends_an_english_speaker_to_the_english_home_page(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/"


def test_root_falls_back_to_english_for_a_language_we_do_not_have(client):
    response = client.get("/", headers={"accept-language": "ja"})
    assert response["Location"] == "/en/"


def test_home_page_leads_to_the_screener(client):
    response = client.get("/en/")
    assert response.status_code == HTTPStatus.OK
    assert b'href="/en/screener/"' in response.content


@pytest.mark.parametrize("path", content_paths())
def test_content_page_is_public_and_cacheable_without_cookies(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    assert not response.cookies, "a content page must not set a cookie"
    assert "Cookie" not in response.get("Vary", "")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=3600" in cache_control
    assert b"csrfmiddlewaretoken" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("session_id", ["stale-or-forged-session-id", None])
def test_content_page_sets_no_cookie_even_for_someone_with_a_session(client, session_id):
    session = client.session
    session["answers"] = {"pregnant": "yes"}
    session.save()
    if session_id:
        client.cookies["sessionid"] = session_id
    response = client.get("/en/how-it-works/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_content_page_is_rendered_once_then_served_from_the_cache(client):
    with mock.patch.object(views, "render", wraps=views.render) as render:
        first = client.get("/en/treatment/")
        second = client.get("/en/treatment/")
    assert render.call_count == 1
    assert first.content == second.content


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in response.content
    assert b'href="/en/"' in response.content


def test_home_page_has_one_address_only(client):
    assert client.get("/en/home/").status_code == HTTPStatus.NOT_FOUND


def test_content_page_refuses_a_post(client):
    assert client.post("/en/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_page_compressed_with_brotli_when_the_browser_accepts_it(client):
    response = client.get("/en/is-it-safe/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    import brotli

    assert b"<h1>" in brotli.decompress(response.content)


def test_page_compressed_with_gzip_for_an_older_browser(client):
    response = client.get("/en/is-it-safe/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_health_page_ends_with_sources_review_dates_and_not_advice_note(client):
    content = client.get("/en/is-it-safe/").content.decode()
    assert '<h2 id="sources-heading">Sources</h2>' in content
    assert "Page last reviewed:" in content
    assert "Next review due:" in content
    assert "This is not medical advice." in content


def test_safety_page_links_to_the_screener(client):
    assert b'href="/en/screener/"' in client.get("/en/is-it-safe/").content


def test_current_page_is_marked_in_the_navigation(client):
    content = client.get("/en/treatment/").content.decode()
    assert 'href="/en/treatment/" aria-current="page"' in content


@pytest.mark.parametrize(
    ("changed", "before", "after"),
    [
        ("static/site.css", "a { color: blue; }", "a { color: red; }"),
        ("templates/base.html", "<p>Hello</p>", "<p>Hi</p>"),
        ("locale/it/LC_MESSAGES/django.po", 'msgstr "Ciao"', 'msgstr "Salve"'),
        # The professionals' pages lay the rules open: a rule changed in a
        # deploy must not leave the old rules on show from the cache.
        ("screener/rules.py", 'LEVELS = ("stop",)', 'LEVELS = ("discuss",)'),
    ],
)
def test_cached_pages_are_keyed_to_the_build(settings, tmp_path, changed, before, after):
    # A deploy that changes what a page is made of must not be served
    # pages cached by the previous build.
    source = tmp_path / changed
    source.parent.mkdir(parents=True)
    source.write_text(before)
    settings.BASE_DIR = tmp_path
    first = views.build_version()
    source.write_text(after)
    assert views.build_version() != first
