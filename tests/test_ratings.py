"""Readers rate how useful a page was, without a cookie or anything that identifies them."""

from __future__ import annotations

import re
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import cache
from django.db.utils import OperationalError

from iontoinfo.models import PageRating
from tests.conftest import health_paths
from tests.i18n import shown

pytestmark = pytest.mark.django_db

OURS = {"origin": "http://testserver"}


def test_a_page_with_no_ratings_invites_the_first(client):
    content = client.get("/en/treatment/").content.decode()
    assert "How useful was this page?" in content
    assert "No ratings yet. Be the first to rate this page." in content


def test_a_rating_is_kept_and_shown_with_the_count(client):
    response = client.post("/en/treatment/rate/", {"score": "4"}, headers=OURS)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/treatment/rated/"
    assert not response.cookies
    # Someone else, on another network.
    client.post("/en/treatment/rate/", {"score": "5"}, headers=OURS, REMOTE_ADDR="10.9.8.7")
    thanks = client.get("/en/treatment/rated/")
    assert b"Thank you for your rating" in thanks.content
    assert "no-store" in thanks["Cache-Control"]
    cache.clear()
    content = client.get("/en/treatment/").content.decode()
    assert "Rated 4.5 out of 5 from 2 ratings." in content


def rating_form_action(html: str) -> str:
    form = re.search(r'<form method="post" action="([^"]+)">\s*<fieldset class="page-rating', html)
    assert form, "the page has no rating form"
    return form.group(1)


@pytest.mark.parametrize("path", health_paths())
def test_every_health_page_takes_a_rating_and_thanks_with_a_way_back(client, path):
    # The home page too: its form once posted to an address that refused it.
    action = rating_form_action(client.get(path).content.decode())
    response = client.post(action, {"score": "5"}, headers=OURS)
    assert response.status_code == HTTPStatus.FOUND
    thanks = client.get(response["Location"])
    assert thanks.status_code == HTTPStatus.OK
    language = path.split("/")[1]
    assert shown(language, "Thank you for your rating") in thanks.content.decode()
    assert f'href="{path}#rating-heading"'.encode() in thanks.content
    assert PageRating.objects.count() == 1
    cache.clear()
    assert ONE_FIVE[language] in client.get(path).content.decode()


# A rating's count in each language's own words and number format.
ONE_FIVE = {"en": "Rated 5.0 out of 5 from 1 rating.", "it": "Voto medio: 5,0 su 5, da 1 voto."}
TWO = {"en": "Rated 4.5 out of 5 from 2 ratings.", "it": "Voto medio: 4,5 su 5, da 2 voti."}


def test_the_average_is_written_as_each_language_writes_numbers(client, language):
    path = f"/{language}/treatment/"
    # Two people: one vote each a day counts, so they come from two networks.
    for network, score in ((1, "4"), (2, "5")):
        client.post(f"{path}rate/", {"score": score}, headers=OURS, REMOTE_ADDR=f"10.0.{network}.9")
    cache.clear()
    page = client.get(path).content.decode()
    assert TWO[language] in page
    assert shown(language, "How useful was this page?") in page


def test_a_rating_from_another_site_is_refused(client):
    response = client.post(
        "/en/treatment/rate/", {"score": "1"}, headers={"origin": "https://elsewhere.example"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PageRating.objects.exists()


def test_a_rating_with_no_origin_or_referer_is_refused(client):
    assert client.post("/en/treatment/rate/", {"score": "1"}).status_code == 403


def test_a_rating_with_our_referer_is_accepted(client):
    response = client.post(
        "/en/treatment/rate/",
        {"score": "2"},
        headers={"referer": "http://testserver/en/treatment/"},
    )
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("data", [{}, {"score": "6"}, {"score": "0"}, {"score": "five"}])
def test_a_bad_rating_is_explained_and_not_kept(client, data):
    response = client.post("/en/treatment/rate/", data, headers=OURS)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Select a number from 1 to 5" in response.content
    assert not PageRating.objects.exists()


@pytest.mark.parametrize("path", ["/en/treatment/", "/en/"])
def test_a_rating_without_a_number_shows_the_page_again_with_the_error(client, path):
    action = rating_form_action(client.get(path).content.decode())
    response = client.post(action, {}, headers=OURS)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "no-store" in response["Cache-Control"]
    assert "<title>Error: " in html
    main = html.split('<main id="main-content"', 1)[1]
    # The summary comes first in <main>, links to the first choice, and the
    # message is repeated at the field, with the form there to try again.
    before_title = main.split("<h1>", 1)[0]
    summary = before_title[before_title.index('class="error-summary') :]
    assert "There is a problem" in summary
    assert 'href="#rating-1"' in summary
    assert 'id="rating-1"' in html
    assert html.count("Select a number from 1 to 5") == 2
    assert rating_form_action(html) == action
    assert "Go back" not in html
    # Nothing of the error is kept for the next reader of the page.
    assert "There is a problem" not in client.get(path).content.decode()


@pytest.mark.parametrize("path", ["/en/terms/rate/", "/en/nowhere/rate/"])
def test_only_health_pages_take_ratings(client, path):
    assert client.post(path, {"score": "3"}, headers=OURS).status_code == HTTPStatus.NOT_FOUND


def test_a_page_still_shows_when_the_ratings_cannot_be_read(client):
    with mock.patch.object(PageRating, "summary", side_effect=OperationalError("down")):
        response = client.get("/en/how-it-works/")
    assert response.status_code == HTTPStatus.OK
    assert b"How useful was this page?" not in response.content


def test_the_database_refuses_a_score_outside_1_to_5():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PageRating.objects.create(language="en", slug="treatment", score=9)
