"""The screener's questions and the flags its answers raise.

Pure Python on purpose: no Django here, so the rules can be read, tested and
versioned on their own. The contract (field names, option values, flag ids and
levels) is the design file shared/design/screener.md; the reasons behind each flag are
in the fact base, sections B and C.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

# Printed on every result, so a printed summary can be traced to these rules.
# Change it whenever a question, option or flag condition changes, and add an
# entry to RULES_HISTORY below saying what changed and why.
RULES_VERSION = "2026.1"

# Most severe first: results are grouped and ordered by this.
LEVELS = ("stop", "discuss", "check-cause")

# A single-choice answer is a str; a several-choice answer is a tuple of str.
Answers = Mapping[str, str | tuple[str, ...]]

YES_NO_NOT_SURE = ("yes", "no", "not_sure")


def gettext_noop(message: str) -> str:
    """Marks words people read for the translation catalogue, and returns them
    unchanged: the rules stay free of Django, and the pages that show these
    words translate them (django.utils.translation.gettext)."""
    return message


@dataclass(frozen=True)
class Condition:
    """An answer is one of `values` (a one-choice question), or has one of
    `values` ticked (a several-choice question).

    Every branch and every flag is one of these, plain data rather than code,
    so that the rules can be shown to clinicians and exported (as FHIR
    `enableWhen`) from the same definition that runs them.
    """

    question: str
    values: tuple[str, ...]

    def __call__(self, answers: Answers) -> bool:
        answer = answers.get(self.question)
        if answer is None:
            return False
        chosen = (answer,) if isinstance(answer, str) else answer
        return any(value in self.values for value in chosen)


@dataclass(frozen=True)
class Question:
    name: str
    multiple: bool
    options: tuple[str, ...]
    # "none" where ticking "none" rules out ticking anything else.
    exclusive: str | None = None
    # Asked only when this holds for the (valid) answers before it; None: always.
    when: Condition | None = None

    def is_asked(self, answers: Answers) -> bool:
        return self.when is None or self.when(answers)


class InvalidAnswer(ValueError):
    """A submitted answer that cannot be accepted; `code` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


QUESTIONS: tuple[Question, ...] = (
    Question("areas", True, ("hands", "feet", "underarms", "face", "other")),
    Question("implanted_device", False, YES_NO_NOT_SURE),
    Question("metal_implant", False, YES_NO_NOT_SURE),
    # Where the metal is only matters once we know there is some.
    Question(
        "metal_implant_location",
        True,
        ("arms_hands", "legs_feet", "elsewhere"),
        when=Condition("metal_implant", ("yes",)),
    ),
    Question("pregnant", False, YES_NO_NOT_SURE),
    # A metal coil only lies in the current's path when the feet are treated.
    Question(
        "metal_iud",
        False,
        YES_NO_NOT_SURE,
        when=Condition("areas", ("feet",)),
    ),
    Question(
        "conditions",
        True,
        ("heart_rhythm", "epilepsy", "blood_clot", "cancer_in_area", "none"),
        exclusive="none",
    ),
    Question(
        "skin",
        True,
        ("broken_skin", "infection_or_rash", "reduced_feeling", "none"),
        exclusive="none",
    ),
    Question("age", False, ("under_6", "6_to_17", "18_plus")),
    Question(
        "warning_signs",
        True,
        (
            "night_sweats",
            "whole_body",
            "one_side",
            "started_after_25",
            "unwell",
            "new_medicine",
            "none",
        ),
        exclusive="none",
    ),
    Question("severity", False, ("1", "2", "3", "4")),
)

QUESTION_BY_NAME: dict[str, Question] = {question.name: question for question in QUESTIONS}


def clean(question: Question, values: list[str]) -> str | tuple[str, ...]:
    """Validate the raw submitted values for one question.

    Returns a str for a single-choice question, or a tuple in the options'
    order for a several-choice one. Raises InvalidAnswer otherwise.
    """
    # A blank value is what a form sends when nothing was chosen: no answer.
    values = [value for value in values if value != ""]
    if not values:
        raise InvalidAnswer("required")
    if any(value not in question.options for value in values):
        raise InvalidAnswer("invalid")
    if len(set(values)) != len(values):
        raise InvalidAnswer("invalid")
    if not question.multiple:
        if len(values) > 1:
            raise InvalidAnswer("invalid")
        return values[0]
    if question.exclusive in values and len(values) > 1:
        raise InvalidAnswer("exclusive")
    return tuple(option for option in question.options if option in values)


def _valid(question: Question, value: object) -> str | tuple[str, ...] | None:
    """The stored answer, cleaned, or None when it is missing or not acceptable."""
    # The shape must match the question: a str passed for a several-choice
    # question would otherwise be split into letters.
    if question.multiple and isinstance(value, tuple):
        raw = list(value)
    elif not question.multiple and isinstance(value, str):
        # What clean() accepts of one value, asked directly: every page reads
        # all the answers through here several times.
        return value if value in question.options else None
    else:
        return None
    try:
        return clean(question, raw)
    except InvalidAnswer:
        return None


def _walk(answers: Answers) -> tuple[list[Question], dict[str, str | tuple[str, ...]]]:
    """The questions asked for these answers, in order, and the valid answers
    to them."""
    # Each question's condition sees only valid answers to questions asked
    # before it, so an answer left over from another branch cannot open a
    # question by itself.
    asked: list[Question] = []
    earlier: dict[str, str | tuple[str, ...]] = {}
    for question in QUESTIONS:
        if not question.is_asked(earlier):
            continue
        asked.append(question)
        value = _valid(question, answers.get(question.name))
        if value is not None:
            earlier[question.name] = value
    return asked, earlier


def applicable(answers: Answers) -> list[Question]:
    """The questions asked for these answers, in order."""
    return _walk(answers)[0]


def relevant(answers: Answers) -> dict[str, str | tuple[str, ...]]:
    """The valid answers to the questions that apply; everything else dropped.

    After a change (metal_implant no longer "yes", feet no longer among the
    areas) the answers that only made sense before it go away.
    """
    # Repeat until nothing more drops, so a chain of dependent questions
    # can never leave a stale answer behind.
    current: dict[str, str | tuple[str, ...]] = dict(answers)
    while True:
        kept = _walk(current)[1]
        if kept == current:
            return kept
        current = kept


def progress(answers: Answers) -> tuple[list[Question], Question | None]:
    """The questions asked for these answers, in order, and the first of them
    without a valid answer yet (None when every one has one): one walk."""
    asked, valid = _walk(answers)
    first = next((question for question in asked if question.name not in valid), None)
    return asked, first


def first_unanswered(answers: Answers) -> Question | None:
    """The first question that applies and has no valid answer yet."""
    return progress(answers)[1]


def is_complete(answers: Answers) -> bool:
    return first_unanswered(answers) is None


@dataclass(frozen=True)
class Flag:
    id: str
    level: str
    # Only for metal-implant: the metal lies where a treated area's current flows.
    in_path: bool = False


@dataclass(frozen=True)
class FlagRule:
    id: str
    level: str
    raised_when: Condition


# "not_sure" raises the same flag as "yes": where in doubt, the safer side.
_UNSURE_TOO = ("yes", "not_sure")
# Any warning sign at all: every option but "none".
_WARNING_SIGNS = tuple(sign for sign in QUESTION_BY_NAME["warning_signs"].options if sign != "none")

# The design's flag table, in its order.
FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule("implanted-device", "stop", Condition("implanted_device", _UNSURE_TOO)),
    FlagRule("pregnancy", "stop", Condition("pregnant", _UNSURE_TOO)),
    FlagRule("metal-implant", "discuss", Condition("metal_implant", _UNSURE_TOO)),
    FlagRule("metal-iud", "discuss", Condition("metal_iud", _UNSURE_TOO)),
    FlagRule("heart-rhythm", "stop", Condition("conditions", ("heart_rhythm",))),
    FlagRule("epilepsy", "stop", Condition("conditions", ("epilepsy",))),
    FlagRule("blood-clot", "stop", Condition("conditions", ("blood_clot",))),
    FlagRule("cancer-in-area", "stop", Condition("conditions", ("cancer_in_area",))),
    FlagRule("broken-skin", "discuss", Condition("skin", ("broken_skin",))),
    FlagRule("skin-infection", "discuss", Condition("skin", ("infection_or_rash",))),
    FlagRule("reduced-feeling", "discuss", Condition("skin", ("reduced_feeling",))),
    FlagRule("young-child", "stop", Condition("age", ("under_6",))),
    FlagRule("under-18", "discuss", Condition("age", ("6_to_17",))),
    FlagRule("face", "discuss", Condition("areas", ("face",))),
    FlagRule("other-cause", "check-cause", Condition("warning_signs", _WARNING_SIGNS)),
)

FLAG_IDS: tuple[str, ...] = tuple(rule.id for rule in FLAG_RULES)
FLAG_LEVEL: dict[str, str] = {rule.id: rule.level for rule in FLAG_RULES}

# Which metal locations the current passes through for each treated area.
# The makers (Hidrex, Saalmann) count metal as in the path when it is in the
# arm or leg being treated. Underarms are counted with the arms: the armpit
# pads sit against the top of the arm and the shoulder, where plates and
# joint replacements are common, and the fact base tells the screener to take
# the safer side where it is unsure. Being in the path only strengthens the
# wording; the flag is raised either way. Face and "other" have no matching
# location option ("elsewhere" is never taken as in the path).
PATH_OF_AREA: dict[str, str] = {
    "hands": "arms_hands",
    "underarms": "arms_hands",
    "feet": "legs_feet",
}


def _metal_in_path(answers: Answers) -> bool:
    # "not_sure" has no location to compare, so it is never "in the path".
    if answers.get("metal_implant") != "yes":
        return False
    locations = set(answers.get("metal_implant_location", ()))
    paths = {PATH_OF_AREA[area] for area in answers.get("areas", ()) if area in PATH_OF_AREA}
    return bool(locations & paths)


def flags(answers: Answers) -> list[Flag]:
    """The flags these answers raise, most severe level first, then table order."""
    answers = relevant(answers)
    raised = [
        Flag(rule.id, rule.level, in_path=rule.id == "metal-implant" and _metal_in_path(answers))
        for rule in FLAG_RULES
        if rule.raised_when(answers)
    ]
    # sorted() is stable, so the table's order holds within each level.
    return sorted(raised, key=lambda flag: LEVELS.index(flag.level))


def flags_by_level(answers: Answers) -> dict[str, list[Flag]]:
    """Every level, in severity order, with the flags raised at it (maybe none)."""
    grouped: dict[str, list[Flag]] = {level: [] for level in LEVELS}
    for flag in flags(answers):
        grouped[flag.level].append(flag)
    return grouped


def severity_meaning(value: str) -> str:
    """What an HDSS answer means: 1-2 mild to moderate, 3-4 severe (fact base, D)."""
    if value in ("1", "2"):
        return gettext_noop("mild to moderate")
    if value in ("3", "4"):
        return gettext_noop("severe")
    raise ValueError(f"not an HDSS answer: {value!r}")


@dataclass(frozen=True)
class Revision:
    """One version of these rules: when it took effect, what changed and why
    (in English, marked for translation: pages show them with gettext)."""

    version: str
    date: datetime.date
    changes: tuple[str, ...]
    why: str


# Every version of the rules, newest first. The newest is RULES_VERSION.
RULES_HISTORY: tuple[Revision, ...] = (
    Revision(
        version="2026.1",
        date=datetime.date(2026, 11, 23),
        changes=(
            gettext_noop(
                "First version: 11 questions and 15 flags at three levels "
                "(stop, discuss, check the cause)."
            ),
            gettext_noop("An answer of 'I'm not sure' raises the same flag as 'yes'."),
            gettext_noop(
                "The coil question is asked only when the feet are treated; "
                "where the metal is, only when there is metal."
            ),
        ),
        why=gettext_noop(
            "The screener's first release, built from the makers' instructions, "
            "NHS hospital leaflets and the studies listed with each flag."
        ),
    ),
)
