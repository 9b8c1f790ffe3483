"""What the person running the site relies on: probes, error pages, robots, sitemap."""

from __future__ import annotations

from http import HTTPStatus
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.test import RequestFactory

from iontoinfo import views
from tests.conftest import content_paths


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django fails any database access here.
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down(client):
    with mock.patch.object(views.connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_probes_are_not_redirected_to_https(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == HTTPStatus.OK
    assert client.get("/en/").status_code == HTTPStatus.MOVED_PERMANENTLY


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (views.bad_request, 400, "Sorry, we could not understand that request"),
        (views.permission_denied, 403, "Sorry, you cannot see this page"),
        (views.csrf_failure, 403, "Sorry, we could not accept that form"),
        (views.page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages_are_styled_and_need_no_database(handler, status, heading):
    # No `db` fixture: these render while the database is down.
    response = handler(RequestFactory().get("/en/somewhere/"), Exception())
    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert "site.css" in body
    assert "no-store" in response["Cache-Control"]


def test_server_error_page_is_styled_and_needs_no_database():
    response = views.server_error(RequestFactory().get("/en/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"<h1>Sorry, there is a problem with the service</h1>" in response.content


def test_an_unexpected_error_shows_the_styled_500_page(client):
    client.raise_request_exception = False
    with mock.patch.object(views, "_render_page", side_effect=RuntimeError("boom")):
        response = client.get("/en/about/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_a_form_post_without_csrf_token_gets_the_styled_403(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/en/", {"anything": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Sorry, we could not accept that form" in response.content


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_lists_every_content_page(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    for path in content_paths():
        assert f"<loc>http://testserver{path}</loc>" in body


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
