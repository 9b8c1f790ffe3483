"""The screener through Django's test client: journeys, changes, bad input, privacy."""

from __future__ import annotations

import logging
import pickle
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client

from screener import rules
from tests.screener_people import PEOPLE, answers_for, shown_flags, walk

pytestmark = pytest.mark.django_db


def answer(client, name: str, value) -> str:
    response = client.post(f"/en/screener/{name}/", {name: value})
    assert response.status_code == HTTPStatus.FOUND, response.content[:1500]
    return response["Location"]


def answer_up_to(client, person: dict, stop_before: str) -> None:
    answers = answers_for(person)
    url = f"/en/screener/{rules.QUESTIONS[0].name}/"
    while not url.endswith(f"/{stop_before}/"):
        name = url.rstrip("/").rsplit("/", 1)[1]
        url = answer(client, name, answers[name])


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
    assert answer(client, "metal_implant", "yes") == "/en/screener/metal_implant_location/"
    other = Client()
    answer(other, "areas", ["hands"])
    answer(other, "implanted_device", "no")
    assert answer(other, "metal_implant", "not_sure") == "/en/screener/pregnant/"


def test_coil_is_asked_only_when_feet_are_treated(client):
    answer_up_to(client, {"areas": ["hands"]}, "conditions")
    assert "metal_iud" not in client.session["screener"]["answers"]
    other = Client()
    answer_up_to(other, {"areas": ["feet"]}, "metal_iud")


def test_change_link_returns_to_the_check_page(client):
    walk(client, {})
    check = client.get("/en/screener/check/").content.decode()
    assert 'href="/en/screener/pregnant/"' in check
    assert answer(client, "pregnant", "yes") == "/en/screener/check/"


def test_a_change_goes_through_a_new_question_then_back_to_check(client):
    walk(client, {})
    assert answer(client, "areas", ["feet"]) == "/en/screener/metal_iud/"
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
    answer_up_to(
        client, {"metal_implant": "yes", "metal_implant_location": ["elsewhere"]}, "pregnant"
    )
    page = client.get("/en/screener/pregnant/").content.decode()
    assert '<a class="back-link" href="/en/screener/metal_implant_location/">Back</a>' in page


def test_earlier_answer_is_shown_when_going_back(client):
    answer(client, "areas", ["hands", "feet"])
    page = client.get("/en/screener/areas/").content.decode()
    assert 'value="hands" class="form-check-input" id="id_areas_0" checked' in page


# --- Bad input ----------------------------------------------------------------------------


def test_no_choice_redisplays_the_question_with_an_error_summary(client):
    answer(client, "areas", ["hands"])
    response = client.post("/en/screener/implanted_device/", {})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "<title>Error: Do you have a pacemaker" in html
    assert "There is a problem" in html
    assert 'href="#id_implanted_device_0"' in html
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
    before = dict(client.session["screener"]["answers"]) if "screener" in client.session else {}
    response = client.post(f"/en/screener/{name}/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    after = client.session["screener"]["answers"] if "screener" in client.session else {}
    assert after == before


def test_question_posted_out_of_order_is_not_saved_and_leads_back(client):
    answer(client, "areas", ["hands"])
    response = client.post("/en/screener/pregnant/", {"pregnant": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/implanted_device/"
    assert "pregnant" not in client.session["screener"]["answers"]


def test_question_that_does_not_apply_leads_back(client):
    answer(client, "areas", ["hands"])
    response = client.get("/en/screener/metal_iud/")
    assert response["Location"] == "/en/screener/implanted_device/"


@pytest.mark.parametrize("page", ["check", "result", "severity"])
def test_jumping_ahead_leads_to_the_first_unanswered_question(client, page):
    response = client.get(f"/en/screener/{page}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/areas/"


def test_jumping_to_the_result_with_questions_left_leads_to_the_first_of_them(client):
    answer_up_to(client, {}, "age")
    assert client.get("/en/screener/result/")["Location"] == "/en/screener/age/"


def test_unknown_question_is_a_404(client):
    assert client.get("/en/screener/shoe_size/").status_code == HTTPStatus.NOT_FOUND


def test_expired_answers_get_a_friendly_start_again_page(client):
    answer_up_to(client, {}, "pregnant")
    client.session.flush()  # what expiry does on the server
    client.cookies["sessionid"] = "a-session-that-has-expired-long-ago"
    response = client.post("/en/screener/pregnant/", {"pregnant": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/screener/expired/"
    assert b"Your answers have expired" in response.content
    assert b'href="/en/screener/areas/">Start again' in response.content


def test_a_post_without_csrf_token_gets_the_styled_403_and_keeps_answers():
    client = Client(enforce_csrf_checks=True)
    client.get("/en/screener/areas/")
    response = client.post("/en/screener/areas/", {"areas": ["hands"]})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Sorry, we could not accept that form" in response.content


def test_an_oversized_body_is_refused(client):
    response = client.post("/en/screener/areas/", {"areas": "hands", "padding": "x" * 200_000})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_too_many_fields_are_refused(client):
    data = {f"field{number}": "1" for number in range(500)}
    response = client.post("/en/screener/areas/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_malformed_body_is_refused(client):
    response = client.generic(
        "POST",
        "/en/screener/areas/",
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


def test_start_again_forgets_everything_and_starts_at_the_first_question(client):
    walk(client, {"pregnant": "yes"})
    response = client.post("/en/screener/start-again/")
    assert response["Location"] == "/en/screener/areas/"
    assert "screener" not in client.session


def test_clear_refuses_a_get(client):
    assert client.get("/en/screener/clear/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Privacy --------------------------------------------------------------------------------


def test_screener_pages_are_never_stored_by_caches(client):
    answer(client, "areas", ["hands"])
    for path in ("/en/screener/", "/en/screener/implanted_device/", "/en/screener/expired/"):
        assert "no-store" in client.get(path)["Cache-Control"]


def test_session_lasts_at_least_20_hours_and_is_renewed(client, settings):
    answer(client, "areas", ["hands"])
    assert settings.SESSION_COOKIE_AGE >= 20 * 60 * 60
    cookie = client.get("/en/screener/implanted_device/").cookies["sessionid"]
    assert int(cookie["max-age"]) >= 20 * 60 * 60


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
    url = "/en/screener/areas/"
    client.get("/en/")  # a content page goes into the cache, as it would in real use
    while "/check/" not in url:
        name = url.rstrip("/").rsplit("/", 1)[1]
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
