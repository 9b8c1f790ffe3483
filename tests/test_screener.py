"""The screener through Django's test client: journeys, changes, bad input, privacy."""

from __future__ import annotations

import logging
import pickle
import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client

from screener import rules
from tests.screener_people import (
    PEOPLE,
    answers_for,
    field_name,
    question_address,
    question_at,
    shown_flags,
    start,
    walk,
)

pytestmark = pytest.mark.django_db


def answer(client, name: str, value) -> str:
    """Answer the question `name` at its address in this client's session."""
    if "screener" not in client.session:
        start(client)
    response = client.post(question_address(client, name), {name: value})
    assert response.status_code == HTTPStatus.FOUND, response.content[:1500]
    return response["Location"]


def answer_up_to(client, person: dict, stop_before: str) -> str:
    """Answer as `person` until the page asking `stop_before` (or the check
    page); returns its address."""
    answers = answers_for(person)
    url = start(client)
    while "/check/" not in url:
        name = question_at(client, url)
        if name == stop_before:
            return url
        response = client.post(url, {name: answers[name]})
        assert response.status_code == HTTPStatus.FOUND, response.content[:1500]
        url = response["Location"]
    assert stop_before == "check"
    return url


# --- Journeys -------------------------------------------------------------------


@pytest.mark.parametrize(("person", "expected"), PEOPLE.values(), ids=PEOPLE.keys())
def test_journey_shows_the_flags_for_this_person(client, person, expected):
    html = walk(client, person)
    assert set(shown_flags(html)) == expected
    assert f'data-rules-version="{rules.RULES_VERSION}"' in html
    assert "healthcare professional" in html


def test_pacemaker_is_a_stop_flag_with_what_to_tell_the_clinician(client):
    html = walk(client, {"implanted_device": "yes"})
    assert shown_flags(html) == {"implanted-device": "stop"}
    assert "What to tell your clinician:" in html
    assert "Do not start iontophoresis unless a clinician" in html


def test_person_with_no_flags_is_still_told_to_talk_to_a_professional(client):
    html = walk(client, {})
    assert shown_flags(html) == {}
    assert "talk to a healthcare professional" in html.lower()


def test_metal_in_the_treated_arm_gets_the_stronger_wording(client):
    in_path = walk(client, {"metal_implant": "yes", "metal_implant_location": ["arms_hands"]})
    elsewhere = walk(Client(), {"metal_implant": "yes", "metal_implant_location": ["elsewhere"]})
    from screener.flags import FLAG_TEXT

    assert FLAG_TEXT["metal-implant"].in_path_explanation in in_path
    assert FLAG_TEXT["metal-implant"].in_path_explanation not in elsewhere


def test_result_shows_the_severity_answer_and_what_it_means(client):
    html = walk(client, {"severity": "4"})
    assert "My sweating is intolerable and always interferes" in html
    assert "severe" in html


def test_without_branches_a_person_answers_nine_questions(client):
    # With the start, check and result pages: 12 pages in all.
    answer_up_to(client, {}, "check")
    assert len(client.session["screener"]["answers"]) == 9


# --- Branching and changes ------------------------------------------------------------


def test_location_of_metal_is_asked_only_after_a_yes(client):
    answer(client, "areas", ["hands"])
    answer(client, "implanted_device", "no")
    location = answer(client, "metal_implant", "yes")
    assert question_at(client, location) == "metal_implant_location"
    other = Client()
    answer(other, "areas", ["hands"])
    answer(other, "implanted_device", "no")
    assert question_at(other, answer(other, "metal_implant", "not_sure")) == "pregnant"


def test_coil_is_asked_only_when_feet_are_treated(client):
    answer_up_to(client, {"areas": ["hands"]}, "conditions")
    assert "metal_iud" not in client.session["screener"]["answers"]
    other = Client()
    answer_up_to(other, {"areas": ["feet"]}, "metal_iud")


def test_change_link_returns_to_the_check_page(client):
    walk(client, {})
    check = client.get("/en/screener/check/").content.decode()
    assert f'href="{question_address(client, "pregnant")}"' in check
    assert answer(client, "pregnant", "yes") == "/en/screener/check/"


def test_a_change_goes_through_a_new_question_then_back_to_check(client):
    walk(client, {})
    assert question_at(client, answer(client, "areas", ["feet"])) == "metal_iud"
    assert answer(client, "metal_iud", "no") == "/en/screener/check/"


def test_a_change_drops_answers_it_makes_irrelevant(client):
    walk(client, {"metal_implant": "yes", "metal_implant_location": ["legs_feet"]})
    answer(client, "metal_implant", "no")
    check = client.get("/en/screener/check/").content.decode()
    assert "Where the metal is" not in check
    assert "metal_implant_location" not in client.session["screener"]["answers"]


def test_a_change_must_be_confirmed_again_before_the_result(client):
    walk(client, {})
    answer(client, "pregnant", "yes")
    response = client.get("/en/screener/result/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/check/"


def test_back_link_goes_to_the_previous_question(client):
    url = answer_up_to(
        client, {"metal_implant": "yes", "metal_implant_location": ["elsewhere"]}, "pregnant"
    )
    page = client.get(url).content.decode()
    previous = question_address(client, "metal_implant_location")
    assert f'<a class="back-link" href="{previous}">Back</a>' in page


def test_back_link_of_the_first_question_goes_to_the_start_page(client):
    page = client.get(start(client)).content.decode()
    assert '<a class="back-link" href="/en/screener/">Back</a>' in page


def test_earlier_answer_is_shown_when_going_back(client):
    answer(client, "areas", ["hands", "feet"])
    page = client.get(question_address(client, "areas")).content.decode()
    assert 'value="hands" class="form-check-input" id="answer_0" checked' in page


# --- Bad input ----------------------------------------------------------------------------


def test_no_choice_redisplays_the_question_with_an_error_summary(client):
    answer(client, "areas", ["hands"])
    response = client.post(question_address(client, "implanted_device"), {})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "<title>Error: Do you have a pacemaker" in html
    assert "There is a problem" in html
    # The link's #fragment goes into the browser's history: it names no question.
    assert 'href="#answer_0"' in html
    assert 'id="answer_0"' in html
    assert html.count("Select yes if you have an electronic device inside your body") == 2
    assert client.session["screener"]["answers"] == {"areas": ["hands"]}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("areas", {"areas": ["elbows"]}, "Select one of the options shown"),
        ("areas", {"areas": ""}, "Select the parts of your body"),
        ("implanted_device", {"implanted_device": ["yes", "no"]}, "Select one of the options"),
        ("implanted_device", {"implanted_device": "maybe"}, "Select one of the options"),
        ("conditions", {"conditions": ["none", "epilepsy"]}, "but not both"),
        ("skin", {"skin": ["none", "broken_skin"]}, "but not both"),
        ("warning_signs", {"warning_signs": ["none", "night_sweats"]}, "but not both"),
        ("areas", {"areas": ["hands", "hands"]}, "Select one of the options shown"),
    ],
)
def test_bad_answer_is_refused_with_a_message_and_earlier_answers_kept(client, name, data, message):
    answer_up_to(client, {}, name)
    before = dict(client.session["screener"].get("answers", {}))
    response = client.post(question_address(client, name), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    after = client.session["screener"].get("answers", {})
    assert after == before


def test_question_posted_out_of_order_is_not_saved_and_leads_back(client):
    answer(client, "areas", ["hands"])
    response = client.post(question_address(client, "pregnant"), {"pregnant": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == question_address(client, "implanted_device")
    assert "pregnant" not in client.session["screener"]["answers"]


def test_question_that_does_not_apply_leads_back(client):
    answer(client, "areas", ["hands"])
    response = client.get(question_address(client, "metal_iud"))
    assert response["Location"] == question_address(client, "implanted_device")


@pytest.mark.parametrize("page", ["check", "result", "q/0123456789abcdef"])
def test_jumping_ahead_before_starting_leads_to_the_start_page(client, page):
    response = client.get(f"/en/screener/{page}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/"
    assert not response.cookies.get("sessionid")


@pytest.mark.parametrize("page", ["check", "result", "severity"])
def test_jumping_ahead_leads_to_the_first_unanswered_question(client, page):
    first = start(client)
    if page in rules.QUESTION_BY_NAME:
        response = client.get(question_address(client, page))
    else:
        response = client.get(f"/en/screener/{page}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == first


def test_jumping_to_the_result_with_questions_left_leads_to_the_first_of_them(client):
    age = answer_up_to(client, {}, "age")
    assert client.get("/en/screener/result/")["Location"] == age


def test_unknown_question_address_is_a_404_once_answers_are_given(client):
    answer(client, "areas", ["hands"])
    for path in ("/en/screener/q/0123456789abcdef/", "/en/screener/q/shoe_size/"):
        assert client.get(path).status_code == HTTPStatus.NOT_FOUND
        assert client.post(path, {"areas": "hands"}).status_code == HTTPStatus.NOT_FOUND


def test_question_names_are_no_addresses(client):
    answer(client, "areas", ["hands"])
    for question in rules.QUESTIONS:
        assert client.get(f"/en/screener/{question.name}/").status_code == HTTPStatus.NOT_FOUND


def test_expired_answers_get_a_friendly_start_again_page(client):
    pregnant = answer_up_to(client, {}, "pregnant")
    client.session.flush()  # what expiry does on the server
    client.cookies["sessionid"] = "a-session-that-has-expired-long-ago"
    response = client.post(pregnant, {"pregnant": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/screener/expired/"
    assert b"Your answers have expired" in response.content
    assert b'href="/en/screener/begin/">Start again' in response.content


def test_a_post_without_csrf_token_gets_the_styled_403_and_keeps_answers():
    client = Client(enforce_csrf_checks=True)
    first = start(client)
    client.get(first)
    response = client.post(first, {"areas": ["hands"]})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Sorry, we could not accept that form" in response.content


def test_an_oversized_body_is_refused(client):
    response = client.post(start(client), {"areas": "hands", "padding": "x" * 200_000})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_too_many_fields_are_refused(client):
    data = {f"field{number}": "1" for number in range(500)}
    response = client.post(start(client), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_malformed_body_is_refused(client):
    response = client.generic(
        "POST",
        start(client),
        b"--broken\r\nnot a multipart body",
        content_type="multipart/form-data; boundary=other",
    )
    assert response.status_code < 500
    assert response.status_code >= 400


# --- Ending -----------------------------------------------------------------------------------


def test_clear_my_answers_deletes_the_session(client):
    walk(client, {"pregnant": "yes"})
    response = client.post("/en/screener/clear/", follow=True)
    assert b"Your answers have been deleted" in response.content
    assert "screener" not in client.session
    assert client.get("/en/screener/result/").status_code == HTTPStatus.FOUND


def test_start_again_forgets_the_answers_and_starts_at_the_first_question(client):
    walk(client, {"pregnant": "yes"})
    response = client.post("/en/screener/start-again/")
    assert question_at(client, response["Location"]) == "areas"
    assert "answers" not in client.session["screener"]
    assert client.get("/en/screener/check/")["Location"] == response["Location"]


def test_clear_refuses_a_get(client):
    assert client.get("/en/screener/clear/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Privacy --------------------------------------------------------------------------------


def test_screener_pages_are_never_stored_by_caches(client):
    answer(client, "areas", ["hands"])
    for path in (
        "/en/screener/",
        question_address(client, "implanted_device"),
        "/en/screener/expired/",
    ):
        assert "no-store" in client.get(path)["Cache-Control"]
    assert "no-store" in client.get("/en/screener/begin/")["Cache-Control"]


def test_session_lasts_at_least_20_hours_and_is_renewed(client, settings):
    import time
    from unittest import mock

    from django.contrib.sessions.models import Session

    from screener import views as screener_views

    answer(client, "areas", ["hands"])
    assert settings.SESSION_COOKIE_AGE >= 20 * 60 * 60
    address = question_address(client, "implanted_device")
    # Reading a page just after an answer writes nothing: no database write
    # for a page read.
    expiry = Session.objects.get().expire_date
    assert "sessionid" not in client.get(address).cookies
    assert Session.objects.get().expire_date == expiry
    # A few minutes later, a page read renews the 24 hours.
    later = time.time() + screener_views.RENEW_EVERY + 1
    with mock.patch.object(screener_views.time, "time", return_value=later):
        cookie = client.get(address).cookies["sessionid"]
    assert int(cookie["max-age"]) >= 20 * 60 * 60
    assert Session.objects.get().expire_date > expiry


def test_expired_answers_are_deleted_from_the_server_when_someone_starts(client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    answer(client, "areas", ["hands"])
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer(Client(), "areas", ["feet"])
    assert Session.objects.count() == 1
    assert Session.objects.get().expire_date > timezone.now()


def test_no_answer_appears_in_urls_logs_or_caches(client, caplog):
    caplog.set_level(logging.DEBUG)
    cache.clear()
    person = {"pregnant": "yes", "implanted_device": "not_sure", "warning_signs": ["one_side"]}
    urls: list[str] = []
    answers = answers_for(person)
    client.get("/en/")  # a content page goes into the cache, as it would in real use
    url = start(client)
    while "/check/" not in url:
        name = question_at(client, url)
        urls.append(url)
        client.post(url, {name: answers[name]})
        client.post(url, {name: ["not-an-option"]})  # errors are logged: with no answers
        url = client.post(url, {name: answers[name]})["Location"]
    urls.append(url)
    client.post(url)
    result = client.get("/en/screener/result/")
    assert result.status_code == HTTPStatus.OK
    assert "?" not in "".join(urls)

    secrets = ["not_sure", "one_side", "18_plus"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets:
        assert secret not in logged
    cached = [pickle.dumps(item) for item in cache._cache.items()]
    assert cached, "the content page should be in the cache"
    for entry in cached:
        assert b"data-rules-version" not in entry
        assert b"screener/result" not in entry
        for secret in secrets:
            assert secret.encode() not in entry


# Someone asked every question there is.
EVERY_QUESTION = {
    "areas": ["feet"],
    "metal_implant": "yes",
    "metal_implant_location": ["legs_feet"],
    "metal_iud": "no",
}
FIXED = {"", "begin", "check", "result", "start-again", "clear", "cleared", "expired"}
LINK = re.compile(r'(?:href|action)="(/en/screener/[^"]*)"')


def question_addresses_seen(client, person: dict) -> set[str]:
    """Every screener address the journey shows, bar the fixed ones: the
    questions' own, as redirects, back links, form actions and Change links."""
    answers = answers_for(person)
    seen: set[str] = set()
    url = start(client)
    while "/check/" not in url:
        seen.add(url)
        html = client.get(url).content.decode()
        seen.update(LINK.findall(html))
        name = field_name(html)
        url = client.post(url, {name: answers[name]})["Location"]
    seen.update(LINK.findall(client.get(url).content.decode()))
    return {address for address in seen if address.split("/")[3] not in FIXED}


def test_question_addresses_name_no_question_and_no_answer(client):
    addresses = question_addresses_seen(client, EVERY_QUESTION)
    assert len(addresses) == len(rules.QUESTIONS)
    names = [question.name for question in rules.QUESTIONS]
    values = {option for question in rules.QUESTIONS for option in question.options}
    for address in addresses:
        assert "?" not in address
        for part in address.split("/"):
            assert not any(name in part for name in names), address
            assert part not in values, address
            # A token is hexadecimal: it may spell "face" or hold a "3" by
            # chance, but never an option with any other letter in it.
            assert not any(value in part for value in values if re.search("[^0-9a-f]", value))


def test_two_people_get_different_question_addresses():
    first = question_addresses_seen(Client(), EVERY_QUESTION)
    second = question_addresses_seen(Client(), EVERY_QUESTION)
    assert len(first) == len(second) == len(rules.QUESTIONS)
    assert not first & second


def test_a_question_address_works_under_another_language_prefix(client, settings):
    settings.LANGUAGES = [("en", "English"), ("it", "Italiano")]
    first = start(client)
    elsewhere = first.replace("/en/", "/it/", 1)
    page = client.get(elsewhere)
    assert page.status_code == HTTPStatus.OK
    assert field_name(page.content.decode()) == "areas"
    response = client.post(elsewhere, {"areas": ["hands"]})
    assert response["Location"].startswith("/it/screener/q/")
    assert question_at(client, response["Location"]) == "implanted_device"
