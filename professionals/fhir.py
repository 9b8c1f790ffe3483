"""The screener as HL7 FHIR R4 resources, generated from `screener.rules`.

- `questionnaire(origin)`: the screener as a FHIR `Questionnaire`: one item
  per question, `linkId` the contract's field name, `answerOption` codes the
  contract's option values, and `enableWhen` saying exactly when
  `rules.applicable()` asks a question.
- `code_system(origin)`: the `CodeSystem` those option codes belong to.
- `questionnaire_response(answers, origin)`: a complete set of answers as a
  `QuestionnaireResponse` to that Questionnaire, for sending to a clinic.

`origin` is the site's address (`https://iontoinfo.example`): canonical URLs
are built from it, so they must not change with whoever asks (`site_origin`).
Texts come from `screener.forms.WORDING` in the site's first language, with
FHIR's translation extension for every other language in `settings.LANGUAGES`.
Elements are written in the order the FHIR specification lists them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from screener import rules
from screener.forms import WORDING

SCREENER_ID = "iontophoresis-screener"
PUBLISHER = "iontoinfo"

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
# From FHIR's extensions pack, for R4 too: choosing this option rules out the others.
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"

Json = dict[str, Any]

TITLE = _("Iontophoresis screener")
DESCRIPTION = _(
    "Questions that show whether anything in a person's health means they should "
    "talk to a clinician before trying tap-water iontophoresis. It is not a diagnosis."
)
CODE_SYSTEM_TITLE = _("Answers to the iontophoresis screener")
CODE_SYSTEM_DESCRIPTION = _(
    "The option values of the iontophoresis screener's questions: a stable contract, "
    "the same in the site's forms and in other software."
)


class IncompleteAnswers(ValueError):
    """The answers leave a question that applies unanswered."""


class InvalidResource(ValueError):
    """A resource that FHIR R4's rules, as the validating library knows them, refuse."""


def questionnaire_url(origin: str) -> str:
    return origin + reverse("fhir_questionnaire")


def code_system_url(origin: str) -> str:
    return origin + reverse("fhir_code_system")


def _primary_language() -> str:
    return settings.LANGUAGE_CODE


def _other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != _primary_language()]


def _in(language: str, text: Callable[[], object]) -> str:
    # str() inside the override, so that lazy translations resolve in that language.
    with translation.override(language):
        return str(text())


def _text(element: Json, key: str, text: Callable[[], object]) -> Json:
    """Set `element[key]` to the text in the site's first language and, for
    each other language, add a translation extension on `_key`."""
    element[key] = _in(_primary_language(), text)
    translations = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": _in(language, text)},
            ],
        }
        for language in _other_languages()
    ]
    if translations:
        element["_" + key] = {"extension": translations}
    return element


def _item_control(code: str, display: str) -> Json:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {
            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code, "display": display}]
        },
    }


def _coding(origin: str, question: rules.Question, value: str) -> Json:
    coding = {"system": code_system_url(origin), "code": value}
    return _text(coding, "display", lambda: WORDING[question.name].options[value])


def _enable_when(origin: str, condition: rules.Condition) -> list[Json]:
    """A Condition as enableWhen, one entry per value. FHIR's `=` against a
    question answered with several codings holds when any of them matches,
    which is the Condition's "has one of `values` ticked"."""
    return [
        {
            "question": condition.question,
            "operator": "=",
            "answerCoding": {"system": code_system_url(origin), "code": value},
        }
        for value in condition.values
    ]


def _question_item(origin: str, question: rules.Question) -> Json:
    item: Json = {
        # Radio buttons and checkboxes, as on the site, rather than a drop-down.
        "extension": [
            _item_control("check-box", "Check-box")
            if question.multiple
            else _item_control("radio-button", "Radio Button")
        ],
        "linkId": question.name,
    }
    _text(item, "text", lambda: WORDING[question.name].question)
    item["type"] = "choice"
    if question.when is not None:
        item["enableWhen"] = _enable_when(origin, question.when)
        if len(item["enableWhen"]) > 1:
            # The Condition holds when any one of its values is chosen.
            item["enableBehavior"] = "any"
    item["required"] = True
    item["repeats"] = question.multiple
    options = []
    for value in question.options:
        option: Json = {}
        if value == question.exclusive:
            option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
        option["valueCoding"] = _coding(origin, question, value)
        options.append(option)
    item["answerOption"] = options
    if WORDING[question.name].hint:
        # The hint as help text: renderers show it with the question, behind
        # a help button, and leave it out of the answers.
        hint: Json = {"extension": [_item_control("help", "Help-Button")]}
        hint["linkId"] = f"{question.name}-hint"
        _text(hint, "text", lambda: WORDING[question.name].hint)
        hint["type"] = "display"
        item["item"] = [hint]
    return item


def _publication(origin: str) -> Json:
    """When these rules took effect and who publishes them."""
    revision = next(r for r in rules.RULES_HISTORY if r.version == rules.RULES_VERSION)
    return {
        "date": revision.date.isoformat(),
        "publisher": PUBLISHER,
        "contact": [{"name": PUBLISHER, "telecom": [{"system": "url", "value": origin + "/"}]}],
    }


def questionnaire(origin: str) -> Json:
    """The screener as a FHIR R4 Questionnaire, as JSON-ready data."""
    resource: Json = {
        "resourceType": "Questionnaire",
        "id": SCREENER_ID,
        "language": _primary_language(),
        "url": questionnaire_url(origin),
        "version": rules.RULES_VERSION,
        "name": "IontophoresisScreener",
    }
    _text(resource, "title", lambda: TITLE)
    resource.update(
        {"status": "active", "experimental": False, "subjectType": ["Patient"]},
        **_publication(origin),
    )
    _text(resource, "description", lambda: DESCRIPTION)
    resource["item"] = [_question_item(origin, question) for question in rules.QUESTIONS]
    return resource


def code_system(origin: str) -> Json:
    """The code system of the screener's option values.

    A value offered by several questions ("yes", "none") is one code; its
    display is the wording of the first question that offers it.
    """
    first_use: dict[str, rules.Question] = {}
    for question in rules.QUESTIONS:
        for value in question.options:
            first_use.setdefault(value, question)
    resource: Json = {
        "resourceType": "CodeSystem",
        "id": SCREENER_ID,
        "language": _primary_language(),
        "url": code_system_url(origin),
        "version": rules.RULES_VERSION,
        "name": "IontophoresisScreenerAnswers",
    }
    _text(resource, "title", lambda: CODE_SYSTEM_TITLE)
    resource.update({"status": "active", "experimental": False}, **_publication(origin))
    _text(resource, "description", lambda: CODE_SYSTEM_DESCRIPTION)
    resource.update({"caseSensitive": True, "content": "complete", "count": len(first_use)})
    resource["concept"] = [
        _text({"code": value}, "display", lambda q=question, v=value: WORDING[q.name].options[v])
        for value, question in first_use.items()
    ]
    return resource


def questionnaire_response(
    answers: rules.Answers,
    origin: str,
    authored: datetime.datetime | None = None,
) -> Json:
    """A complete set of answers as a completed FHIR R4 QuestionnaireResponse.

    Only the questions that apply are answered, as FHIR requires for items
    that enableWhen disables: answers left over from another branch are
    dropped, as the screener drops them. Raises IncompleteAnswers when a
    question that applies has no valid answer.
    """
    missing = rules.first_unanswered(answers)
    if missing is not None:
        raise IncompleteAnswers(missing.name)
    kept = rules.relevant(answers)
    items = []
    for question in rules.applicable(kept):
        value = kept[question.name]
        values = (value,) if isinstance(value, str) else value
        item: Json = {"linkId": question.name}
        _text(item, "text", lambda q=question: WORDING[q.name].question)
        item["answer"] = [{"valueCoding": _coding(origin, question, v)} for v in values]
        items.append(item)
    response = {
        "resourceType": "QuestionnaireResponse",
        "language": _primary_language(),
        "questionnaire": f"{questionnaire_url(origin)}|{rules.RULES_VERSION}",
        "status": "completed",
        "authored": (authored or timezone.now()).isoformat(),
        "item": items,
    }
    # It leaves this site for a clinic's system: never send one that does not validate.
    validate(response)
    return response


def validate(resource: Json) -> None:
    """Check a resource against FHIR's structure with fhir.resources.

    The library ships R4B (4.3.0) and no longer R4 (4.0.1); the two are the
    same for Questionnaire, QuestionnaireResponse and CodeSystem but for the
    versions of some value sets. Raises InvalidResource.
    """
    from fhir.resources.R4B import get_fhir_model_class

    try:
        model = get_fhir_model_class(resource.get("resourceType", ""))
        # pydantic's ValidationError is a ValueError.
        model.model_validate(resource)
    except ValueError as error:
        raise InvalidResource(str(error)) from error
