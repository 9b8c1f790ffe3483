"""The screener as an HL7 FHIR R4 Questionnaire, and answers as a QuestionnaireResponse.

fhir.resources checks the resources' structure. The rest of FHIR's rules that
it does not enforce are checked here, and an evaluator of enableWhen written
from the FHIR R4 specification shows that the Questionnaire asks exactly the
questions `rules.applicable()` asks, for every reachable set of answers.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import math
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import get_language
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iontoinfo.settings import env_origin
from professionals import fhir
from screener import forms, rules
from tests.i18n import say

ORIGIN = "https://iontoinfo.example"
QUESTIONNAIRE_PATH = "/fhir/Questionnaire/iontophoresis-screener"
CODE_SYSTEM_PATH = "/fhir/CodeSystem/iontophoresis-screener"

Json = dict[str, Any]
Answers = dict[str, str | tuple[str, ...]]

# Codes of FHIR R4's required bindings that fhir.resources does not check.
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
ITEM_TYPES = {
    "group", "display", "question", "boolean", "decimal", "integer", "date", "dateTime",
    "time", "string", "text", "url", "choice", "open-choice", "attachment", "reference",
    "quantity",
}  # fmt: skip
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
ENABLE_BEHAVIORS = {"all", "any"}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
CODE_SYSTEM_CONTENT = {"not-present", "example", "fragment", "complete", "supplement"}
ANSWER_KEYS = {
    "answerBoolean", "answerDecimal", "answerInteger", "answerDate", "answerDateTime",
    "answerTime", "answerString", "answerCoding", "answerQuantity", "answerReference",
}  # fmt: skip


def walk(items: list[Json]) -> Iterator[Json]:
    """Every item, nested ones included, in document order."""
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def answer_value(element: Json) -> tuple[str, Any]:
    """The one answer[x] of an enableWhen: its key and value."""
    (key,) = [key for key in element if key in ANSWER_KEYS]
    return key, element[key]


def same_coding(a: Json, b: Json) -> bool:
    return a.get("system") == b.get("system") and a.get("code") == b.get("code")


def enabled_link_ids(questionnaire: Json, answers: Mapping[str, list[Json]]) -> list[str]:
    """The items FHIR R4 enables for these answers (linkId: answer Codings).

    Written from the specification (Questionnaire.item.enableWhen and
    enableBehavior): `exists` holds when whether the question has an answer
    equals answerBoolean; `=` when at least one answer equals the given one;
    `!=` when none does. Several enableWhen combine by enableBehavior
    (required then). A disabled item's answers are ignored, and an item
    inside a disabled item is disabled.
    """
    items = {item["linkId"]: item for item in walk(questionnaire["item"])}
    parent = {
        child["linkId"]: item["linkId"]
        for item in walk(questionnaire["item"])
        for child in item.get("item", [])
    }
    known: dict[str, bool] = {}
    deciding: set[str] = set()

    def enabled(link_id: str) -> bool:
        if link_id in known:
            return known[link_id]
        assert link_id not in deciding, f"enableWhen goes round in a circle at {link_id}"
        deciding.add(link_id)
        item = items[link_id]
        if link_id in parent and not enabled(parent[link_id]):
            result = False
        elif not item.get("enableWhen"):
            result = True
        else:
            results = [holds(condition) for condition in item["enableWhen"]]
            behavior = item.get("enableBehavior")
            assert len(results) == 1 or behavior, f"{link_id}: enableBehavior is needed"
            result = any(results) if behavior == "any" else all(results)
        deciding.discard(link_id)
        known[link_id] = result
        return result

    def holds(condition: Json) -> bool:
        source = condition["question"]
        given = answers.get(source, []) if enabled(source) else []
        key, expected = answer_value(condition)
        operator = condition["operator"]
        if operator == "exists":
            return bool(given) == expected
        assert key == "answerCoding", "only Coding answers are compared here"
        matches = any(same_coding(answer, expected) for answer in given)
        if operator == "=":
            return matches
        if operator == "!=":
            return not matches
        raise AssertionError(f"operator {operator} does not apply to Codings")

    return [link_id for link_id in items if enabled(link_id)]


def as_fhir_answers(answers: Mapping[str, str | tuple[str, ...]]) -> dict[str, list[Json]]:
    """The screener's answers as the answer Codings a FHIR form would hold."""
    system = fhir.code_system_url(ORIGIN)
    return {
        name: [
            {"system": system, "code": v} for v in ((value,) if isinstance(value, str) else value)
        ]
        for name, value in answers.items()
    }


def asked_by_fhir(questionnaire: Json, answers: Mapping[str, str | tuple[str, ...]]) -> list[str]:
    """The questions (not hints) the Questionnaire enables for these answers."""
    questions = {item["linkId"] for item in questionnaire["item"]}
    enabled = enabled_link_ids(questionnaire, as_fhir_answers(answers))
    return [link_id for link_id in enabled if link_id in questions]


def choices(question: rules.Question) -> list[str | tuple[str, ...]]:
    """Every answer the screener accepts for a question."""
    if not question.multiple:
        return list(question.options)
    subsets = itertools.chain.from_iterable(
        itertools.combinations(question.options, size)
        for size in range(1, len(question.options) + 1)
    )
    return [s for s in subsets if question.exclusive not in s or len(s) == 1]


def branching() -> list[rules.Question]:
    """The questions that open others, and the questions they open."""
    names = {q.when.question for q in rules.QUESTIONS if q.when} | {
        q.name for q in rules.QUESTIONS if q.when
    }
    return [q for q in rules.QUESTIONS if q.name in names]


def every_answer_set(others_answered: bool) -> Iterator[Answers]:
    """Every combination of answers (or none) to the branching questions,
    answers left over from another branch included; the other questions
    unanswered, or answered with their first option."""
    questions = branching()
    others: Answers = {}
    if others_answered:
        others = {q.name: choices(q)[0] for q in rules.QUESTIONS if q not in questions}
    for combination in itertools.product(*([None, *choices(q)] for q in questions)):
        answers = dict(others)
        answers.update(
            {q.name: v for q, v in zip(questions, combination, strict=True) if v is not None}
        )
        yield answers


@pytest.fixture(scope="module")
def questionnaire() -> Json:
    return fhir.questionnaire(ORIGIN)


@pytest.fixture(scope="module")
def code_system() -> Json:
    return fhir.code_system(ORIGIN)


# --- What the Questionnaire says -----------------------------------------------


def test_questionnaire_is_the_current_rules_at_their_canonical_address(questionnaire):
    revision = next(r for r in rules.RULES_HISTORY if r.version == rules.RULES_VERSION)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["url"] == ORIGIN + QUESTIONNAIRE_PATH
    assert questionnaire["version"] == rules.RULES_VERSION
    assert questionnaire["status"] == "active"
    assert questionnaire["date"] == revision.date.isoformat()
    assert questionnaire["publisher"] == "iontoinfo"
    assert questionnaire["title"]


def test_each_question_is_one_choice_item_named_and_coded_as_in_the_contract(questionnaire):
    items = questionnaire["item"]
    assert [item["linkId"] for item in items] == [q.name for q in rules.QUESTIONS]
    for question, item in zip(rules.QUESTIONS, items, strict=True):
        wording = forms.WORDING[question.name]
        assert item["type"] == "choice"
        assert item["required"] is True
        assert item["repeats"] is question.multiple
        assert item["text"] == wording.question
        codings = [option["valueCoding"] for option in item["answerOption"]]
        assert [coding["code"] for coding in codings] == list(question.options)
        assert [coding["display"] for coding in codings] == [
            wording.options[value] for value in question.options
        ]
        assert {coding["system"] for coding in codings} == {ORIGIN + CODE_SYSTEM_PATH}


def test_branching_questions_carry_the_rules_conditions_as_enable_when(questionnaire):
    items = {item["linkId"]: item for item in questionnaire["item"]}
    for question in rules.QUESTIONS:
        item = items[question.name]
        if question.when is None:
            assert "enableWhen" not in item
            continue
        assert {
            (condition["question"], condition["operator"], condition["answerCoding"]["code"])
            for condition in item["enableWhen"]
        } == {(question.when.question, "=", value) for value in question.when.values}


def test_none_of_these_rules_out_the_other_options(questionnaire):
    for question, item in zip(rules.QUESTIONS, questionnaire["item"], strict=True):
        exclusive = [
            option["valueCoding"]["code"]
            for option in item["answerOption"]
            if {"url": fhir.OPTION_EXCLUSIVE, "valueBoolean": True} in option.get("extension", [])
        ]
        assert exclusive == ([question.exclusive] if question.exclusive else [])


def test_hints_go_with_their_question_as_help_text(questionnaire):
    for question, item in zip(rules.QUESTIONS, questionnaire["item"], strict=True):
        (hint,) = item["item"]
        assert hint["type"] == "display"
        assert hint["text"] == forms.WORDING[question.name].hint
        assert hint["extension"] == [fhir._item_control("help", "Help-Button")]


# --- Valid FHIR ---------------------------------------------------------------


def test_questionnaire_and_code_system_validate_as_fhir(questionnaire, code_system):
    fhir.validate(questionnaire)
    fhir.validate(code_system)


def test_validation_refuses_what_fhir_refuses():
    with pytest.raises(fhir.InvalidResource):
        fhir.validate({"resourceType": "Questionnaire"})  # no status
    with pytest.raises(fhir.InvalidResource):
        fhir.validate({"resourceType": "Questionnaire", "status": "active", "item": [{}]})
    with pytest.raises(fhir.InvalidResource):
        fhir.validate({"resourceType": "NoSuchResource"})


def test_link_ids_are_unique(questionnaire):
    link_ids = [item["linkId"] for item in walk(questionnaire["item"])]
    assert len(link_ids) == len(set(link_ids))


def test_items_with_several_enable_when_say_how_to_combine_them(questionnaire):
    for item in walk(questionnaire["item"]):
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in ENABLE_BEHAVIORS


def test_every_enable_when_names_an_earlier_question_and_one_of_its_options(questionnaire):
    order = [item["linkId"] for item in walk(questionnaire["item"])]
    items = {item["linkId"]: item for item in walk(questionnaire["item"])}
    conditions = [
        (item, c) for item in walk(questionnaire["item"]) for c in item.get("enableWhen", [])
    ]
    assert conditions  # the screener does branch
    for item, condition in conditions:
        source = items[condition["question"]]
        # The screener only ever looks back at answers already given.
        assert order.index(source["linkId"]) < order.index(item["linkId"])
        assert condition["operator"] in OPERATORS
        key, value = answer_value(condition)
        if condition["operator"] == "exists":
            assert key == "answerBoolean"
        else:
            assert key == "answerCoding"
            assert any(
                same_coding(option["valueCoding"], value) for option in source["answerOption"]
            )


def test_codes_are_from_fhirs_value_sets_and_items_keep_fhirs_rules(questionnaire):
    assert questionnaire["status"] in PUBLICATION_STATUS
    for item in walk(questionnaire["item"]):
        assert item["type"] in ITEM_TYPES
        assert item.get("enableBehavior", "all") in ENABLE_BEHAVIORS
        if item["type"] == "display":
            # que-1, que-6: display items have no children, are never required or repeated.
            assert not {"item", "required", "repeats", "answerOption"} & item.keys()
        else:
            # que-5: only choice items offer answer options.
            assert ("answerOption" in item) == (item["type"] in {"choice", "open-choice"})


def test_code_system_holds_every_option_code_once(questionnaire, code_system):
    codes = [concept["code"] for concept in code_system["concept"]]
    assert len(codes) == len(set(codes)) == code_system["count"]
    assert set(codes) == {value for q in rules.QUESTIONS for value in q.options}
    assert code_system["url"] == ORIGIN + CODE_SYSTEM_PATH
    assert code_system["version"] == rules.RULES_VERSION
    assert code_system["status"] in PUBLICATION_STATUS
    assert code_system["content"] in CODE_SYSTEM_CONTENT


# --- The branching is the rules' branching --------------------------------------


@pytest.mark.parametrize("others_answered", [False, True], ids=["others-unanswered", "answered"])
def test_fhir_asks_exactly_what_the_rules_ask_for_every_branching_answer(
    questionnaire, others_answered
):
    count = 0
    for answers in every_answer_set(others_answered):
        expected = [q.name for q in rules.applicable(answers)]
        assert asked_by_fhir(questionnaire, answers) == expected, answers
        count += 1
    # Every answer, or none, to each branching question: thousands of sets.
    assert count == math.prod(len(choices(q)) + 1 for q in branching()) > 1000


def any_answers() -> st.SearchStrategy[Answers]:
    """Any valid answers to any of the questions, asked or not."""
    return st.fixed_dictionaries(
        {}, optional={q.name: st.sampled_from(choices(q)) for q in rules.QUESTIONS}
    )


HYPOTHESIS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(answers=any_answers())
def test_fhir_asks_exactly_what_the_rules_ask_for_any_answers(answers):
    questionnaire = fhir.questionnaire(ORIGIN)
    assert asked_by_fhir(questionnaire, answers) == [q.name for q in rules.applicable(answers)]


def with_a_two_value_condition() -> tuple[rules.Question, ...]:
    # The coil question asked for feet or hands: a Condition with two values.
    return tuple(
        dataclasses.replace(q, when=rules.Condition("areas", ("feet", "hands")))
        if q.name == "metal_iud"
        else q
        for q in rules.QUESTIONS
    )


def test_a_condition_with_several_values_becomes_enable_when_combined_with_any(monkeypatch):
    questions = with_a_two_value_condition()
    monkeypatch.setattr(rules, "QUESTIONS", questions)
    monkeypatch.setattr(rules, "QUESTION_BY_NAME", {q.name: q for q in questions})
    questionnaire = fhir.questionnaire(ORIGIN)
    (item,) = [item for item in questionnaire["item"] if item["linkId"] == "metal_iud"]
    assert len(item["enableWhen"]) == 2
    assert item["enableBehavior"] == "any"
    fhir.validate(questionnaire)
    for answers in every_answer_set(others_answered=False):
        assert asked_by_fhir(questionnaire, answers) == [q.name for q in rules.applicable(answers)]


# --- QuestionnaireResponse ------------------------------------------------------

COMPLETE: Answers = {
    "areas": ("hands",),
    "implanted_device": "no",
    "metal_implant": "no",
    "pregnant": "no",
    "conditions": ("none",),
    "skin": ("none",),
    "age": "18_plus",
    "warning_signs": ("none",),
    "severity": "3",
}


def check_response(response: Json, questionnaire: Json, answers: Mapping[str, object]) -> None:
    """A completed response to the current Questionnaire that answers exactly
    the questions FHIR enables for its own answers, from their options."""
    assert response["status"] == "completed"
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    items = {item["linkId"]: item for item in questionnaire["item"]}
    given = {
        item["linkId"]: [a["valueCoding"] for a in item["answer"]] for item in response["item"]
    }
    assert list(given) == asked_by_fhir_codings(questionnaire, given)
    for link_id, codings in given.items():
        assert len(codings) == 1 or items[link_id]["repeats"]
        options = [option["valueCoding"] for option in items[link_id]["answerOption"]]
        assert all(any(same_coding(c, o) for o in options) for c in codings)
    assert {name: tuple(c["code"] for c in codings) for name, codings in given.items()} == {
        name: (v,) if isinstance(v, str) else v for name, v in rules.relevant(answers).items()
    }


def asked_by_fhir_codings(questionnaire: Json, answers: Mapping[str, list[Json]]) -> list[str]:
    questions = {item["linkId"] for item in questionnaire["item"]}
    return [i for i in enabled_link_ids(questionnaire, answers) if i in questions]


def test_every_complete_set_of_branching_answers_makes_a_valid_response(questionnaire):
    count = 0
    for answers in every_answer_set(others_answered=True):
        if not rules.is_complete(answers):
            continue
        # questionnaire_response validates what it builds with fhir.resources.
        response = fhir.questionnaire_response(answers, ORIGIN)
        check_response(response, questionnaire, answers)
        count += 1
    assert count > 500


@HYPOTHESIS
@given(answers=any_answers())
def test_any_complete_answers_make_a_valid_response(answers):
    answers = {**COMPLETE, **answers}
    if rules.is_complete(answers):
        response = fhir.questionnaire_response(answers, ORIGIN)
        check_response(response, fhir.questionnaire(ORIGIN), answers)
    else:
        with pytest.raises(fhir.IncompleteAnswers):
            fhir.questionnaire_response(answers, ORIGIN)


def test_response_leaves_out_answers_to_questions_no_longer_asked(questionnaire):
    # Metal and feet at first, then changed: the follow-up answers stay behind.
    answers = {
        **COMPLETE,
        "metal_implant_location": ("legs_feet",),
        "metal_iud": "yes",
    }
    response = fhir.questionnaire_response(answers, ORIGIN)
    linked = [item["linkId"] for item in response["item"]]
    assert "metal_implant_location" not in linked
    assert "metal_iud" not in linked
    assert linked == [q.name for q in rules.applicable(answers)]


def test_response_answers_the_follow_up_questions_when_they_are_asked():
    answers = {
        **COMPLETE,
        "areas": ("feet", "face"),
        "metal_implant": "yes",
        "metal_implant_location": ("arms_hands", "legs_feet"),
        "metal_iud": "not_sure",
    }
    response = fhir.questionnaire_response(answers, ORIGIN)
    given = {
        item["linkId"]: [a["valueCoding"]["code"] for a in item["answer"]]
        for item in response["item"]
    }
    assert given["areas"] == ["feet", "face"]
    assert given["metal_implant_location"] == ["arms_hands", "legs_feet"]
    assert given["metal_iud"] == ["not_sure"]


def test_response_records_when_it_was_authored():
    authored = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC)
    response = fhir.questionnaire_response(COMPLETE, ORIGIN, authored=authored)
    assert response["authored"] == "2026-11-24T09:30:00+00:00"
    assert datetime.datetime.fromisoformat(
        fhir.questionnaire_response(COMPLETE, ORIGIN)["authored"]
    ).tzinfo


def test_incomplete_answers_make_no_response():
    unfinished = {name: value for name, value in COMPLETE.items() if name != "severity"}
    with pytest.raises(fhir.IncompleteAnswers, match="severity"):
        fhir.questionnaire_response(unfinished, ORIGIN)
    # metal_implant "yes" opens a question that has no answer yet.
    with pytest.raises(fhir.IncompleteAnswers, match="metal_implant_location"):
        fhir.questionnaire_response({**COMPLETE, "metal_implant": "yes"}, ORIGIN)


# --- Languages ------------------------------------------------------------------


def translations(element: Json, key: str) -> dict[str, str]:
    found = {}
    for extension in element.get("_" + key, {}).get("extension", []):
        assert extension["url"] == fhir.TRANSLATION
        parts = {part["url"]: part for part in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


@override_settings(LANGUAGES=[("en", "English")])
def test_only_english_needs_no_translations():
    questionnaire = fhir.questionnaire(ORIGIN)
    assert questionnaire["language"] == "en"
    assert not any(key.startswith("_") for item in walk(questionnaire["item"]) for key in item)


@override_settings(LANGUAGES=[("en", "English"), ("it", "Italiano")])
def test_each_further_language_adds_a_translation_of_every_text(monkeypatch):
    # Wording that names the language it is read in, as a translated text would.
    def english(text: object) -> str:
        with translation.override("en"):
            return str(text)

    in_language = lazy(lambda text: f"{english(text)} [{get_language()}]", str)
    wording = {
        name: dataclasses.replace(
            words,
            question=in_language(words.question),
            hint=in_language(words.hint),
            options={value: in_language(label) for value, label in words.options.items()},
        )
        for name, words in forms.WORDING.items()
    }
    monkeypatch.setattr(fhir, "WORDING", wording)
    questionnaire = fhir.questionnaire(ORIGIN)
    fhir.validate(questionnaire)
    assert translations(questionnaire, "title") == {"it": say("it", fhir.TITLE)}
    assert say("it", fhir.TITLE) != say("en", fhir.TITLE)
    for item in walk(questionnaire["item"]):
        assert item["text"].endswith("[en]")
        assert translations(item, "text") == {"it": item["text"].replace("[en]", "[it]")}
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            assert translations(coding, "display") == {
                "it": coding["display"].replace("[en]", "[it]")
            }
    response = fhir.questionnaire_response(COMPLETE, ORIGIN)
    assert all(translations(item, "text") for item in response["item"])
    code_system = fhir.code_system(ORIGIN)
    fhir.validate(code_system)
    assert all(translations(concept, "display") for concept in code_system["concept"])


# --- Served at its canonical address ------------------------------------------


def test_the_canonical_addresses_have_no_language_in_them():
    assert reverse("fhir_questionnaire") == QUESTIONNAIRE_PATH
    assert reverse("fhir_code_system") == CODE_SYSTEM_PATH


@override_settings(IONTOINFO_CANONICAL_URL="")
def test_questionnaire_is_served_as_fhir_json_at_the_address_it_names(client):
    response = client.get(QUESTIONNAIRE_PATH)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].split(";")[0] == "application/fhir+json"
    body = response.content.decode()
    assert body.endswith("}\n")
    served = json.loads(body)
    assert served["url"] == "http://testserver" + QUESTIONNAIRE_PATH
    assert served["version"] == rules.RULES_VERSION
    assert served == fhir.questionnaire("http://testserver")


@override_settings(IONTOINFO_CANONICAL_URL="")
def test_option_codes_name_a_code_system_served_at_that_address(client):
    questionnaire = client.get(QUESTIONNAIRE_PATH).json()
    system = questionnaire["item"][0]["answerOption"][0]["valueCoding"]["system"]
    response = client.get(system.removeprefix("http://testserver"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].split(";")[0] == "application/fhir+json"
    assert response.json()["url"] == system


@override_settings(IONTOINFO_CANONICAL_URL=ORIGIN)
def test_canonical_address_comes_from_the_setting_whoever_asks(client):
    served = client.get(QUESTIONNAIRE_PATH, headers={"host": "127.0.0.1"}).json()
    assert served["url"] == ORIGIN + QUESTIONNAIRE_PATH


def test_questionnaire_may_be_cached_by_anyone_and_revalidated(client):
    response = client.get(QUESTIONNAIRE_PATH)
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    again = client.get(QUESTIONNAIRE_PATH, headers={"if-none-match": response["ETag"]})
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_questionnaire_is_compressed_for_clients_that_accept_it(client):
    response = client.get(QUESTIONNAIRE_PATH, headers={"accept-encoding": "br"})
    assert response["Content-Encoding"] == "br"


def test_questionnaire_cannot_be_posted_to(client):
    assert client.post(QUESTIONNAIRE_PATH).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("", ""),
        ("https://iontoinfo.example", "https://iontoinfo.example"),
        ("https://iontoinfo.example/", "https://iontoinfo.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_canonical_url_setting_takes_a_site_origin(monkeypatch, value, origin):
    monkeypatch.setenv("IONTOINFO_CANONICAL_URL", value)
    assert env_origin("IONTOINFO_CANONICAL_URL") == origin


@pytest.mark.parametrize(
    "value",
    [
        "iontoinfo.example",
        "ftp://iontoinfo.example",
        "https://iontoinfo.example/fhir",
        "https://iontoinfo.example?x=1",
        "https://user@iontoinfo.example",
        "https://iontoinfo.example:port",
        "https://",
    ],
)
def test_canonical_url_setting_refuses_anything_but_an_origin(monkeypatch, value):
    monkeypatch.setenv("IONTOINFO_CANONICAL_URL", value)
    with pytest.raises(ImproperlyConfigured, match="IONTOINFO_CANONICAL_URL"):
        env_origin("IONTOINFO_CANONICAL_URL")
