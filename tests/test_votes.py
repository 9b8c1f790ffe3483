"""Ratings nobody can stuff: one per page per person per day, recognised
without a cookie and without keeping an address; a honeypot; rate limits."""

from __future__ import annotations

import datetime
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from unittest import mock

import pytest
from django.test import Client

from iontoinfo import voters
from iontoinfo.models import PageRating
from tests.screener_people import start

OURS = {"origin": "http://testserver"}
RATE = "/en/treatment/rate/"


@pytest.mark.django_db
def test_one_client_posting_100_ratings_counts_once(client):
    statuses = [
        client.post(RATE, {"score": str(1 + n % 5)}, headers=OURS).status_code for n in range(100)
    ]
    assert PageRating.objects.count() == 1
    assert statuses[0] == HTTPStatus.FOUND
    # A script is slowed down: after the first few a minute, it is refused.
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.django_db
def test_a_second_rating_the_same_day_replaces_the_first(client):
    client.post(RATE, {"score": "2"}, headers=OURS)
    client.post(RATE, {"score": "5"}, headers=OURS)
    assert list(PageRating.objects.values_list("score", flat=True)) == [5]


@pytest.mark.django_db
def test_a_forged_origin_from_one_network_still_counts_once(client):
    # Another device on the same /24 with the same browser is the same person
    # for ratings; a different browser there is someone else.
    for address in ("198.51.100.7", "198.51.100.200"):
        client.post(RATE, {"score": "4"}, headers=OURS, REMOTE_ADDR=address)
    assert PageRating.objects.count() == 1
    client.post(
        RATE,
        {"score": "4"},
        headers={**OURS, "user-agent": "Other/1.0"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert PageRating.objects.count() == 2


@pytest.mark.django_db
def test_ipv6_addresses_of_one_network_count_once(client):
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"):
        client.post(RATE, {"score": "3"}, headers=OURS, REMOTE_ADDR=address)
    client.post(RATE, {"score": "3"}, headers=OURS, REMOTE_ADDR="2001:db8:1:3::1")
    assert PageRating.objects.count() == 2


@pytest.mark.django_db
def test_no_address_is_kept_and_the_code_changes_every_day(client):
    client.post(RATE, {"score": "4"}, headers=OURS, REMOTE_ADDR="203.0.113.9")
    rating = PageRating.objects.get()
    assert "203.0.113" not in rating.voter
    assert len(rating.voter) == 64
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with mock.patch.object(voters.datetime, "date") as date:
        date.today.return_value = tomorrow
        request = mock.Mock(META={"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": ""})
        assert voters.voter(request) != rating.voter


@pytest.mark.django_db
def test_yesterdays_codes_are_erased_and_the_person_may_rate_again(client):
    client.post(RATE, {"score": "4"}, headers=OURS)
    PageRating.objects.update(created=datetime.date.today() - datetime.timedelta(days=1))
    client.post(RATE, {"score": "5"}, headers=OURS)
    assert PageRating.objects.count() == 2
    yesterday = PageRating.objects.get(score=4)
    assert yesterday.voter is None


@pytest.mark.django_db
def test_the_honeypot_thanks_software_and_keeps_nothing(client):
    html = client.get("/en/treatment/").content.decode()
    assert 'name="website"' in html
    response = client.post(RATE, {"score": "5", "website": "http://spam.example"}, headers=OURS)
    assert response.status_code == HTTPStatus.FOUND
    assert not PageRating.objects.exists()


@pytest.mark.django_db
def test_behind_our_proxy_the_forwarded_address_counts(client, settings):
    settings.BEHIND_PROXY = True
    for address in ("192.0.2.1", "192.0.3.1"):
        client.post(
            RATE,
            {"score": "4"},
            headers={**OURS, "x-forwarded-for": f"10.0.0.1, {address}"},
        )
    assert PageRating.objects.count() == 2


def test_a_thousand_people_sixteen_at_a_time_count_a_thousand(production_server):
    # Against the server as `make run` starts it: its threads write at once.
    # People differ here by browser, as loopback is one network.
    def rate(n: int) -> int:
        request = urllib.request.Request(
            production_server + RATE,
            data=urllib.parse.urlencode({"score": str(1 + n % 5)}).encode(),
            headers={"Origin": production_server, "User-Agent": f"Person/{n}"},
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(rate, range(1000)))
    assert statuses == [HTTPStatus.FOUND] * 1000
    with sqlite3.connect(production_server.database) as database:
        (count,) = database.execute(
            "SELECT COUNT(*) FROM iontoinfo_pagerating WHERE slug = 'treatment'"
        ).fetchone()
    assert count == 1000


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db
def test_answers_are_limited_to_sixty_a_minute_per_person(client):
    address = start(client)
    statuses = [client.post(address, {"areas": "hands"}).status_code for _ in range(61)]
    assert statuses[:60] == [HTTPStatus.FOUND] * 60
    assert statuses[60] == HTTPStatus.TOO_MANY_REQUESTS
    # Someone else is not slowed down by that person.
    other = Client()
    assert other.post(start(other), {"areas": "hands"}).status_code == HTTPStatus.FOUND
