"""The screener's questions and the flags its answers raise.

Pure Python on purpose: no Django here, so the rules can be read, tested and
versioned on their own. The contract (field names, option values, flag ids and
levels) is the design file shared/design/screener.md; the reasons behind each flag are
in the fact base, sections B and C.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Printed on every result, so a printed summary can be traced to these rules.
# Change it whenever a question, option or flag condition changes.
RULES_VERSION = "2026.1"

# Most severe first: results are grouped and ordered by this.
LEVELS = ("stop", "discuss", "check-cause")

# A single-choice answer is a str; a several-choice answer is a tuple of str.
Answers = Mapping[str, str | tuple[str, ...]]

YES_NO_NOT_SURE = ("yes", "no", "not_sure")


def _always(answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    name: str
    multiple: bool
    options: tuple[str, ...]
    # "none" where ticking "none" rules out ticking anything else.
    exclusive: str | None = None
    # Whether the question is asked, given the (valid) answers before it.
    when: Callable[[Answers], bool] = field(default=_always, compare=False, repr=False)

    def is_asked(self, answers: Answers) -> bool:
        return self.when(answers)


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
        when=lambda answers: answers.get("metal_implant") == "yes",
    ),
    Question("pregnant", False, YES_NO_NOT_SURE),
    # A metal coil only lies in the current's path when the feet are treated.
    Question(
        "metal_iud",
        False,
        YES_NO_NOT_SURE,
        when=lambda answers: "feet" in answers.get("areas", ()),
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
        raw = [value]
    else:
        return None
    try:
        return clean(question, raw)
    except InvalidAnswer:
        return None


def applicable(answers: Answers) -> list[Question]:
    """The questions asked for these answers, in order."""
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
    return asked


def relevant(answers: Answers) -> dict[str, str | tuple[str, ...]]:
    """The valid answers to the questions that apply; everything else dropped.

    After a change (metal_implant no longer "yes", feet no longer among the
    areas) the answers that only made sense before it go away.
    """
    # Repeat until nothing more drops, so a chain of dependent questions
    # can never leave a stale answer behind.
    current: dict[str, str | tuple[str, ...]] = dict(answers)
    while True:
        kept = {}
        for question in applicable(current):
            value = _valid(question, current.get(question.name))
            if value is not None:
                kept[question.name] = value
        if kept == current:
            return kept
        current = kept


def first_unanswered(answers: Answers) -> Question | None:
    """The first question that applies and has no valid answer yet."""
    for question in applicable(answers):
        if _valid(question, answers.get(question.name)) is None:
            return question
    return None


def is_complete(answers: Answers) -> bool:
    return first_unanswered(answers) is None


@dataclass(frozen=True)
class Flag:
    id: str
    level: str
    # Only for metal-implant: the metal lies where a treated area's current flows.
    in_path: bool = False


def _answer_in(name: str, *values: str) -> Callable[[Answers], bool]:
    return lambda answers: answers.get(name) in values


def _ticked(name: str, value: str) -> Callable[[Answers], bool]:
    return lambda answers: value in answers.get(name, ())


def _any_warning_sign(answers: Answers) -> bool:
    return any(sign != "none" for sign in answers.get("warning_signs", ()))


# The design's flag table, in its order: id, level, raised when.
# "not_sure" raises the same flag as "yes": where in doubt, the safer side.
_FLAG_RULES: tuple[tuple[str, str, Callable[[Answers], bool]], ...] = (
    ("implanted-device", "stop", _answer_in("implanted_device", "yes", "not_sure")),
    ("pregnancy", "stop", _answer_in("pregnant", "yes", "not_sure")),
    ("metal-implant", "discuss", _answer_in("metal_implant", "yes", "not_sure")),
    ("metal-iud", "discuss", _answer_in("metal_iud", "yes", "not_sure")),
    ("heart-rhythm", "stop", _ticked("conditions", "heart_rhythm")),
    ("epilepsy", "stop", _ticked("conditions", "epilepsy")),
    ("blood-clot", "stop", _ticked("conditions", "blood_clot")),
    ("cancer-in-area", "stop", _ticked("conditions", "cancer_in_area")),
    ("broken-skin", "discuss", _ticked("skin", "broken_skin")),
    ("skin-infection", "discuss", _ticked("skin", "infection_or_rash")),
    ("reduced-feeling", "discuss", _ticked("skin", "reduced_feeling")),
    ("young-child", "stop", _answer_in("age", "under_6")),
    ("under-18", "discuss", _answer_in("age", "6_to_17")),
    ("face", "discuss", _ticked("areas", "face")),
    ("other-cause", "check-cause", _any_warning_sign),
)

FLAG_IDS: tuple[str, ...] = tuple(flag_id for flag_id, _, _ in _FLAG_RULES)
FLAG_LEVEL: dict[str, str] = {flag_id: level for flag_id, level, _ in _FLAG_RULES}

# Which metal locations the current passes through for each treated area.
# The makers (Hidrex, Saalmann) count metal as in the path when it is in the
# arm or leg being treated. Underarms are counted with the arms: the armpit
# pads sit against the top of the arm and the shoulder, where plates and
# joint replacements are common, and the fact base tells the screener to take
# the safer side where it is unsure. Being in the path only strengthens the
# wording; the flag is raised either way. Face and "other" have no matching
# location option ("elsewhere" is never taken as in the path).
_PATH_OF_AREA: dict[str, str] = {
    "hands": "arms_hands",
    "underarms": "arms_hands",
    "feet": "legs_feet",
}


def _metal_in_path(answers: Answers) -> bool:
    # "not_sure" has no location to compare, so it is never "in the path".
    if answers.get("metal_implant") != "yes":
        return False
    locations = set(answers.get("metal_implant_location", ()))
    paths = {_PATH_OF_AREA[area] for area in answers.get("areas", ()) if area in _PATH_OF_AREA}
    return bool(locations & paths)


def flags(answers: Answers) -> list[Flag]:
    """The flags these answers raise, most severe level first, then table order."""
    answers = relevant(answers)
    raised = [
        Flag(flag_id, level, in_path=flag_id == "metal-implant" and _metal_in_path(answers))
        for flag_id, level, raises in _FLAG_RULES
        if raises(answers)
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
        return "mild to moderate"
    if value in ("3", "4"):
        return "severe"
    raise ValueError(f"not an HDSS answer: {value!r}")
