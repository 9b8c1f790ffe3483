"""The screener through Django's test client: journeys, changes, bad input, privacy."""

from __future__ import annotations

import logging
import pickle
import re
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.utils.crypto import salted_hmac

from screener import rules
from screener.flags import ALWAYS_TEXT, FLAG_TEXT, LEVEL_TEXT, NO_FLAGS_TEXT, SEVERITY_TEXT
from screener.forms import ERRORS, WORDING, QuestionForm
from screener.views import question_token, question_tokens
from tests.i18n import shown
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


def answer(client, name: str, value, language: str = "en") -> str:
    """Answer the question `name` at its address in this client's session."""
    if "screener" not in client.session:
        start(client, language)
    response = client.post(question_address(client, name, language), {name: value})
    assert response.status_code == HTTPStatus.FOUND, response.content[:1500]
    return response["Location"]


def answer_up_to(client, person: dict, stop_before: str, language: str = "en") -> str:
    """Answer as `person` until the page asking `stop_before` (or the check
    page); returns its address."""
    answers = answers_for(person)
    url = start(client, language)
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
def test_journey_shows_the_flags_for_this_person(client, person, expected, language):
    html = walk(client, person, language)
    assert set(shown_flags(html)) == expected
    assert f'data-rules-version="{rules.RULES_VERSION}"' in html
    assert shown(language, ALWAYS_TEXT) in html


def test_pacemaker_is_a_stop_flag_with_what_to_tell_the_clinician(client, language):
    html = walk(client, {"implanted_device": "yes"}, language)
    assert shown_flags(html) == {"implanted-device": "stop"}
    assert shown(language, "What to tell your clinician:") in html
    assert shown(language, LEVEL_TEXT["stop"][1]) in html


def test_person_with_no_flags_is_still_told_to_talk_to_a_professional(client, language):
    html = walk(client, {}, language)
    assert shown_flags(html) == {}
    assert shown(language, NO_FLAGS_TEXT) in html


def test_metal_in_the_treated_arm_gets_the_stronger_wording(client, language):
    metal = {"metal_implant": "yes"}
    in_path = walk(client, {**metal, "metal_implant_location": ["arms_hands"]}, language)
    elsewhere = walk(Client(), {**metal, "metal_implant_location": ["elsewhere"]}, language)
    stronger = shown(language, FLAG_TEXT["metal-implant"].in_path_explanation)
    assert stronger in in_path
    assert stronger not in elsewhere
    assert shown(language, FLAG_TEXT["metal-implant"].explanation) in elsewhere


def test_result_shows_the_severity_answer_and_what_it_means(client, language):
    html = walk(client, {"severity": "4"}, language)
    assert shown(language, WORDING["severity"].options["4"]) in html
    assert shown(language, SEVERITY_TEXT["4"]) in html


def test_without_branches_a_person_answers_nine_questions(client, language):
    # With the start, check and result pages: 12 pages in all.
    answer_up_to(client, {}, "check", language)
    assert len(client.session["screener"]["answers"]) == 9


# --- Branching and changes ------------------------------------------------------------


def test_location_of_metal_is_asked_only_after_a_yes(client, language):
    answer(client, "areas", ["hands"], language)
    answer(client, "implanted_device", "no", language)
    location = answer(client, "metal_implant", "yes", language)
    assert question_at(client, location) == "metal_implant_location"
    other = Client()
    answer(other, "areas", ["hands"], language)
    answer(other, "implanted_device", "no", language)
    assert question_at(other, answer(other, "metal_implant", "not_sure", language)) == "pregnant"


def test_coil_is_asked_only_when_feet_are_treated(client, language):
    answer_up_to(client, {"areas": ["hands"]}, "conditions", language)
    assert "metal_iud" not in client.session["screener"]["answers"]
    other = Client()
    answer_up_to(other, {"areas": ["feet"]}, "metal_iud", language)


def test_change_link_returns_to_the_check_page(client, language):
    walk(client, {}, language)
    check = client.get(f"/{language}/screener/check/").content.decode()
    assert f'href="{question_address(client, "pregnant", language)}"' in check
    assert answer(client, "pregnant", "yes", language) == f"/{language}/screener/check/"


def test_a_change_goes_through_a_new_question_then_back_to_check(client, language):
    walk(client, {}, language)
    assert question_at(client, answer(client, "areas", ["feet"], language)) == "metal_iud"
    assert answer(client, "metal_iud", "no", language) == f"/{language}/screener/check/"


def test_a_change_drops_answers_it_makes_irrelevant(client, language):
    walk(client, {"metal_implant": "yes", "metal_implant_location": ["legs_feet"]}, language)
    answer(client, "metal_implant", "no", language)
    check = client.get(f"/{language}/screener/check/").content.decode()
    assert shown(language, WORDING["metal_implant_location"].short) not in check
    assert shown(language, WORDING["metal_implant"].short) in check
    assert "metal_implant_location" not in client.session["screener"]["answers"]


def test_a_change_must_be_confirmed_again_before_the_result(client, language):
    walk(client, {}, language)
    answer(client, "pregnant", "yes", language)
    response = client.get(f"/{language}/screener/result/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/{language}/screener/check/"


def test_back_link_goes_to_the_previous_question(client, language):
    url = answer_up_to(
        client,
        {"metal_implant": "yes", "metal_implant_location": ["elsewhere"]},
        "pregnant",
        language,
    )
    page = client.get(url).content.decode()
    previous = question_address(client, "metal_implant_location", language)
    assert f'<a class="back-link" href="{previous}">{shown(language, "Back")}</a>' in page


def test_back_link_of_the_first_question_goes_to_the_start_page(client, language):
    page = client.get(start(client, language)).content.decode()
    back = shown(language, "Back")
    assert f'<a class="back-link" href="/{language}/screener/">{back}</a>' in page


def test_earlier_answer_is_shown_when_going_back(client, language):
    answer(client, "areas", ["hands", "feet"], language)
    page = client.get(question_address(client, "areas", language)).content.decode()
    assert 'value="hands" class="form-check-input" id="answer_0" checked' in page


# --- Bad input ----------------------------------------------------------------------------


def test_no_choice_redisplays_the_question_with_an_error_summary(client, language):
    answer(client, "areas", ["hands"], language)
    response = client.post(question_address(client, "implanted_device", language), {})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    title = f"{shown(language, 'Error:')} {shown(language, WORDING['implanted_device'].question)}"
    assert f"<title>{title} – iontoinfo</title>" in html
    assert shown(language, "There is a problem") in html
    # The link's #fragment goes into the browser's history: it names no question.
    assert 'href="#answer_0"' in html
    assert 'id="answer_0"' in html
    assert html.count(shown(language, WORDING["implanted_device"].required)) == 2
    assert client.session["screener"]["answers"] == {"areas": ["hands"]}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("areas", {"areas": ["elbows"]}, ERRORS["invalid"]),
        ("areas", {"areas": ""}, WORDING["areas"].required),
        ("implanted_device", {"implanted_device": ["yes", "no"]}, ERRORS["invalid"]),
        ("implanted_device", {"implanted_device": "maybe"}, ERRORS["invalid"]),
        ("conditions", {"conditions": ["none", "epilepsy"]}, ERRORS["exclusive"]),
        ("skin", {"skin": ["none", "broken_skin"]}, ERRORS["exclusive"]),
        ("warning_signs", {"warning_signs": ["none", "night_sweats"]}, ERRORS["exclusive"]),
        ("areas", {"areas": ["hands", "hands"]}, ERRORS["invalid"]),
    ],
)
def test_bad_answer_is_refused_with_a_message_and_earlier_answers_kept(
    client, name, data, message, language
):
    answer_up_to(client, {}, name, language)
    before = dict(client.session["screener"].get("answers", {}))
    response = client.post(question_address(client, name, language), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert shown(language, message) in response.content.decode()
    after = client.session["screener"].get("answers", {})
    assert after == before


def test_question_posted_out_of_order_is_not_saved_and_leads_back(client, language):
    answer(client, "areas", ["hands"], language)
    response = client.post(question_address(client, "pregnant", language), {"pregnant": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == question_address(client, "implanted_device", language)
    assert "pregnant" not in client.session["screener"]["answers"]


def test_question_that_does_not_apply_leads_back(client, language):
    answer(client, "areas", ["hands"], language)
    response = client.get(question_address(client, "metal_iud", language))
    assert response["Location"] == question_address(client, "implanted_device", language)


@pytest.mark.parametrize("page", ["check", "result", "q/0123456789abcdef"])
def test_jumping_ahead_before_starting_leads_to_the_start_page(client, page, language):
    response = client.get(f"/{language}/screener/{page}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/{language}/screener/"
    assert not response.cookies.get("sessionid")


@pytest.mark.parametrize("page", ["check", "result", "severity"])
def test_jumping_ahead_leads_to_the_first_unanswered_question(client, page, language):
    first = start(client, language)
    if page in rules.QUESTION_BY_NAME:
        response = client.get(question_address(client, page, language))
    else:
        response = client.get(f"/{language}/screener/{page}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == first


def test_jumping_to_the_result_with_questions_left_leads_to_the_first_of_them(client, language):
    age = answer_up_to(client, {}, "age", language)
    assert client.get(f"/{language}/screener/result/")["Location"] == age


def test_unknown_question_address_is_a_404_once_answers_are_given(client, language):
    answer(client, "areas", ["hands"], language)
    for path in (f"/{language}/screener/q/0123456789abcdef/", f"/{language}/screener/q/shoe_size/"):
        assert client.get(path).status_code == HTTPStatus.NOT_FOUND
        assert client.post(path, {"areas": "hands"}).status_code == HTTPStatus.NOT_FOUND


def test_question_names_are_no_addresses(client, language):
    answer(client, "areas", ["hands"], language)
    for question in rules.QUESTIONS:
        assert (
            client.get(f"/{language}/screener/{question.name}/").status_code == HTTPStatus.NOT_FOUND
        )


def test_expired_answers_get_a_friendly_start_again_page(client, language):
    pregnant = answer_up_to(client, {}, "pregnant", language)
    client.session.flush()  # what expiry does on the server
    client.cookies["sessionid"] = "a-session-that-has-expired-long-ago"
    response = client.post(pregnant, {"pregnant": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/{language}/screener/expired/"
    page = response.content.decode()
    assert shown(language, "Your answers have expired") in page
    assert f'href="/{language}/screener/begin/">{shown(language, "Start again")}' in page


def test_a_post_without_csrf_token_gets_the_styled_403_and_keeps_answers(language):
    client = Client(enforce_csrf_checks=True)
    first = start(client, language)
    client.get(first)
    response = client.post(first, {"areas": ["hands"]})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert shown(language, "Sorry, we could not accept that form") in response.content.decode()


def test_an_oversized_body_is_refused(client, language):
    response = client.post(start(client, language), {"areas": "hands", "padding": "x" * 200_000})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_too_many_fields_are_refused(client, language):
    data = {f"field{number}": "1" for number in range(500)}
    response = client.post(start(client, language), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_malformed_body_is_refused(client, language):
    response = client.generic(
        "POST",
        start(client, language),
        b"--broken\r\nnot a multipart body",
        content_type="multipart/form-data; boundary=other",
    )
    assert response.status_code < 500
    assert response.status_code >= 400


# --- Ending -----------------------------------------------------------------------------------


def test_clear_my_answers_deletes_the_session(client, language):
    walk(client, {"pregnant": "yes"}, language)
    response = client.post(f"/{language}/screener/clear/", follow=True)
    assert shown(language, "Your answers have been deleted") in response.content.decode()
    assert "screener" not in client.session
    assert client.get(f"/{language}/screener/result/").status_code == HTTPStatus.FOUND


def test_start_again_forgets_the_answers_and_starts_at_the_first_question(client, language):
    walk(client, {"pregnant": "yes"}, language)
    response = client.post(f"/{language}/screener/start-again/")
    assert question_at(client, response["Location"]) == "areas"
    assert "answers" not in client.session["screener"]
    assert client.get(f"/{language}/screener/check/")["Location"] == response["Location"]


def test_clear_refuses_a_get(client, language):
    assert client.get(f"/{language}/screener/clear/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Privacy --------------------------------------------------------------------------------


def test_screener_pages_are_never_stored_by_caches(client, language):
    answer(client, "areas", ["hands"], language)
    for path in (
        f"/{language}/screener/",
        question_address(client, "implanted_device", language),
        f"/{language}/screener/expired/",
    ):
        assert "no-store" in client.get(path)["Cache-Control"]
    assert "no-store" in client.get(f"/{language}/screener/begin/")["Cache-Control"]


def test_session_lasts_at_least_20_hours_and_is_renewed(client, settings, language):
    import time
    from unittest import mock

    from django.contrib.sessions.models import Session

    from screener import views as screener_views

    answer(client, "areas", ["hands"], language)
    assert settings.SESSION_COOKIE_AGE >= 20 * 60 * 60
    address = question_address(client, "implanted_device", language)
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


def test_expired_answers_are_deleted_from_the_server_when_someone_starts(client, language):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    answer(client, "areas", ["hands"], language)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer(Client(), "areas", ["feet"], language)
    assert Session.objects.count() == 1
    assert Session.objects.get().expire_date > timezone.now()


def test_no_answer_appears_in_urls_logs_or_caches(client, caplog, language):
    caplog.set_level(logging.DEBUG)
    cache.clear()
    person = {"pregnant": "yes", "implanted_device": "not_sure", "warning_signs": ["one_side"]}
    urls: list[str] = []
    answers = answers_for(person)
    client.get(f"/{language}/")  # a content page goes into the cache, as it would in real use
    url = start(client, language)
    while "/check/" not in url:
        name = question_at(client, url)
        urls.append(url)
        client.post(url, {name: answers[name]})
        client.post(url, {name: ["not-an-option"]})  # errors are logged: with no answers
        url = client.post(url, {name: answers[name]})["Location"]
    urls.append(url)
    client.post(url)
    result = client.get(f"/{language}/screener/result/")
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
# The page's own links (not the language switcher's, to the same page in another).
LINK = r'(?:href|action)="(/{language}/screener/[^"]*)"'


def question_addresses_seen(client, person: dict, language: str) -> set[str]:
    """Every screener address the journey shows, bar the fixed ones: the
    questions' own, as redirects, back links, form actions and Change links."""
    answers = answers_for(person)
    seen: set[str] = set()
    url = start(client, language)
    while "/check/" not in url:
        seen.add(url)
        html = client.get(url).content.decode()
        seen.update(re.findall(LINK.format(language=language), html))
        name = field_name(html)
        url = client.post(url, {name: answers[name]})["Location"]
    seen.update(re.findall(LINK.format(language=language), client.get(url).content.decode()))
    return {address for address in seen if address.split("/")[3] not in FIXED}


def test_question_addresses_name_no_question_and_no_answer(client, language):
    addresses = question_addresses_seen(client, EVERY_QUESTION, language)
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


def test_two_people_get_different_question_addresses(language):
    first = question_addresses_seen(Client(), EVERY_QUESTION, language)
    second = question_addresses_seen(Client(), EVERY_QUESTION, language)
    assert len(first) == len(second) == len(rules.QUESTIONS)
    assert not first & second


@pytest.mark.parametrize(("language", "other"), [("en", "it"), ("it", "en")])
def test_a_question_address_works_under_another_language_prefix(client, language, other):
    first = start(client, language)
    elsewhere = first.replace(f"/{language}/", f"/{other}/", 1)
    page = client.get(elsewhere)
    assert page.status_code == HTTPStatus.OK
    assert field_name(page.content.decode()) == "areas"
    response = client.post(elsewhere, {"areas": ["hands"]})
    assert response["Location"].startswith(f"/{other}/screener/q/")
    assert question_at(client, response["Location"]) == "implanted_device"


def _submissions(question: rules.Question) -> list[list[str]]:
    """What a browser, or someone crafting a request, may send for a question."""
    first, second = question.options[0], question.options[1]
    sent = [[], [""], [first], [second], ["", first], [first, first], [first, second]]
    sent += [["unknown"], [first, "unknown"], [first.upper()]]
    if question.exclusive:
        sent.append([question.exclusive, first])
    return sent


@pytest.mark.parametrize("question", rules.QUESTIONS, ids=lambda question: question.name)
def test_an_answer_is_accepted_exactly_when_the_form_accepts_it(question):
    """A valid answer is taken from the rules alone; the form is only built to
    word an error. Both must agree on every submission, or an answer the form
    would refuse could be saved."""
    assert tuple(WORDING[question.name].options) == question.options
    for values in _submissions(question):
        data = QueryDict(mutable=True)
        data.setlist(question.name, values)
        form = QuestionForm(question, data)
        try:
            accepted = rules.clean(question, values)
        except rules.InvalidAnswer:
            accepted = None
        assert form.is_valid() == (accepted is not None), values
        if accepted is not None:
            assert form.answer == accepted


def test_question_addresses_stay_the_ones_journeys_already_have():
    """A release must not change a person's addresses mid-journey: they are
    the keyed hash Django's salted_hmac made, however they are computed."""
    salt = "0123456789abcdef0123456789abcdef"
    tokens = question_tokens(salt)
    for question in rules.QUESTIONS:
        made = salted_hmac("screener.question", question.name, secret=salt, algorithm="sha256")
        assert question_token(salt, question.name) == made.hexdigest()[:16]
        assert tokens[question.name] == made.hexdigest()[:16]
    assert len(set(tokens.values())) == len(rules.QUESTIONS)
