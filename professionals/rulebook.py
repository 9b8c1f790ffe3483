"""The screener's rules in words, for clinicians: the rules page, the paper
screener and its key.

Every sentence about a question, a branch or a flag is built here from
`screener.rules` (what runs) and the wording in `screener.forms` and
`screener.flags` (what people read). Nothing restates a rule by hand, so a
change to the rules changes these pages with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from iontoinfo.pages import Source
from screener import rules
from screener.flags import FLAG_TEXT, LEVEL_TEXT, FlagText
from screener.forms import WORDING

NOT_SURE = "not_sure"


def number(name: str) -> int:
    """A question's number on paper and on the rules page: its place in the screener."""
    return next(i for i, question in enumerate(rules.QUESTIONS, start=1) if question.name == name)


def labels(name: str, values: Iterable[str]) -> list[str]:
    options = WORDING[name].options
    return [options[value] for value in values]


def quoted(items: Iterable[str]) -> list[str]:
    return [f"“{item}”" for item in items]


def either(items: list[str]) -> str:
    """“A”, “A” or “B”, “A”, “B” or “C”."""
    if len(items) == 1:
        return items[0]
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def answers(condition: rules.Condition) -> str:
    """The answers a condition names, quoted and joined with "or"."""
    question = rules.QUESTION_BY_NAME[condition.question]
    values = [value for value in question.options if value in condition.values]
    return either(quoted(labels(question.name, values)))


def _all_but_none(condition: rules.Condition) -> str | None:
    """“None of these”, quoted, when the condition is every other answer."""
    question = rules.QUESTION_BY_NAME[condition.question]
    others = {value for value in question.options if value != question.exclusive}
    if question.exclusive and set(condition.values) == others:
        return quoted(labels(question.name, [question.exclusive]))[0]
    return None


def key_answers(condition: rules.Condition) -> str:
    """The answers, as short as the paper key needs them."""
    if none := _all_but_none(condition):
        return _("anything other than %(none)s") % {"none": none}
    return answers(condition)


def describe(condition: rules.Condition) -> str:
    """A condition in plain words, naming the question by its number and wording."""
    question = rules.QUESTION_BY_NAME[condition.question]
    about = {
        "number": number(question.name),
        "question": WORDING[question.name].question,
        "answers": answers(condition),
    }
    if not question.multiple:
        return _("the answer to question %(number)s, “%(question)s”, is %(answers)s") % about
    if none := _all_but_none(condition):
        # Every answer but "None of these": say that rather than list them all.
        about["none"] = none
        return (
            _("anything other than %(none)s is ticked in question %(number)s, “%(question)s”")
            % about
        )
    if len(condition.values) == 1:
        return _("%(answers)s is ticked in question %(number)s, “%(question)s”") % about
    return _("any of %(answers)s is ticked in question %(number)s, “%(question)s”") % about


def asked_when(question: rules.Question) -> str:
    if question.when is None:
        return _("Always asked.")
    return _("Asked only when %(condition)s.") % {"condition": describe(question.when)}


def raised_when(rule: rules.FlagRule) -> str:
    return _("Raised when %(condition)s.") % {"condition": describe(rule.raised_when)}


def _dependants(question: rules.Question) -> list[rules.Question]:
    return [
        other
        for other in rules.QUESTIONS
        if other.when is not None and other.when.question == question.name
    ]


def paper_branches(question: rules.Question) -> list[str]:
    """Instructions after a question that opens others: "If you ticked “Feet”,
    also answer question 6." """
    lines = []
    for other in _dependants(question):
        about = {"answers": answers(other.when), "number": number(other.name)}
        if question.multiple:
            lines.append(_("If you ticked %(answers)s, also answer question %(number)s.") % about)
        else:
            lines.append(_("If you answered %(answers)s, also answer question %(number)s.") % about)
    return lines


def paper_only_if(question: rules.Question) -> str:
    """The instruction on a question that is not always asked."""
    if question.when is None:
        return ""
    source = rules.QUESTION_BY_NAME[question.when.question]
    about = {"answers": answers(question.when), "source": number(source.name)}
    if source.multiple:
        line = _("Answer this only if you ticked %(answers)s in question %(source)s.") % about
    else:
        line = _("Answer this only if you answered %(answers)s to question %(source)s.") % about
    if number(question.name) < len(rules.QUESTIONS):
        line += " " + _("If not, go to question %(next)s.") % {"next": number(question.name) + 1}
    return line


def screen_only_hints() -> set[str]:
    """Hints that only say how to answer on a screen; paper gives its own ("Tick one")."""
    return {_("Select all that apply."), _("Choose the answer that fits best.")}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class QuestionEntry:
    number: int
    name: str
    text: str
    hint: str
    short: str
    multiple: bool
    options: tuple[Option, ...]
    # The label of the answer that rules out ticking any other, if any.
    exclusive: str
    asked_when: str
    conditional: bool
    why: str
    branches: tuple[str, ...]
    only_if: str

    @property
    def paper_hint(self) -> str:
        return "" if str(self.hint) in screen_only_hints() else self.hint


def questions() -> list[QuestionEntry]:
    entries = []
    for question in rules.QUESTIONS:
        wording = WORDING[question.name]
        entries.append(
            QuestionEntry(
                number=number(question.name),
                name=question.name,
                text=wording.question,
                hint=wording.hint,
                short=wording.short,
                multiple=question.multiple,
                options=tuple(
                    Option(value, wording.options[value], wording.option_hints.get(value, ""))
                    for value in question.options
                ),
                exclusive=wording.options[question.exclusive] if question.exclusive else "",
                asked_when=asked_when(question),
                conditional=question.when is not None,
                why=wording.why,
                branches=tuple(paper_branches(question)),
                only_if=paper_only_if(question),
            )
        )
    return entries


@dataclass(frozen=True)
class FlagEntry:
    id: str
    level: str
    level_heading: str
    raised_when: str
    # The question and the answers that raise it, short, for the paper key.
    question_number: int
    question_short: str
    answers: str
    text: FlagText


@dataclass(frozen=True)
class LevelGroup:
    level: str
    heading: str
    advice: str
    flags: tuple[FlagEntry, ...]


def flag_entry(rule: rules.FlagRule) -> FlagEntry:
    condition = rule.raised_when
    question = rules.QUESTION_BY_NAME[condition.question]
    return FlagEntry(
        id=rule.id,
        level=rule.level,
        level_heading=LEVEL_TEXT[rule.level][0],
        raised_when=raised_when(rule),
        question_number=number(question.name),
        question_short=WORDING[question.name].short,
        answers=key_answers(condition),
        text=FLAG_TEXT[rule.id],
    )


def flags_by_level() -> list[LevelGroup]:
    """Every level, most serious first, with its flags in the rules' order."""
    return [
        LevelGroup(
            level=level,
            heading=LEVEL_TEXT[level][0],
            advice=LEVEL_TEXT[level][1],
            flags=tuple(flag_entry(rule) for rule in rules.FLAG_RULES if rule.level == level),
        )
        for level in rules.LEVELS
    ]


def flag_level_heading(flag_id: str) -> str:
    return LEVEL_TEXT[rules.FLAG_LEVEL[flag_id]][0]


@dataclass(frozen=True)
class NotSure:
    # Questions whose "I'm not sure" raises a flag, with the flag, and those where it does not.
    safer: tuple[tuple[QuestionEntry, str], ...]
    unflagged: tuple[QuestionEntry, ...]


def not_sure() -> NotSure:
    entries = {entry.name: entry for entry in questions()}
    safer, unflagged = [], []
    for question in rules.QUESTIONS:
        if NOT_SURE not in question.options:
            continue
        raising = [
            rule.id
            for rule in rules.FLAG_RULES
            if rule.raised_when.question == question.name and NOT_SURE in rule.raised_when.values
        ]
        if raising:
            safer.extend((entries[question.name], flag_id) for flag_id in raising)
        else:
            unflagged.append(entries[question.name])
    return NotSure(safer=tuple(safer), unflagged=tuple(unflagged))


def metal_in_path() -> list[str]:
    """When metal counts as in the current's path, from rules.PATH_OF_AREA."""
    areas = rules.QUESTION_BY_NAME["areas"]
    where = rules.QUESTION_BY_NAME["metal_implant_location"]
    lines = []
    for location in where.options:
        treated = [area for area in areas.options if rules.PATH_OF_AREA.get(area) == location]
        if not treated:
            continue
        about = {
            "areas": either(quoted(labels(areas.name, treated))),
            "areas_number": number(areas.name),
            "location": quoted(labels(where.name, [location]))[0],
            "location_number": number(where.name),
        }
        lines.append(
            _(
                "%(areas)s ticked in question %(areas_number)s, and %(location)s ticked "
                "in question %(location_number)s"
            )
            % about
        )
    return lines


def sources() -> list[Source]:
    """Every source the flags cite, once, in the order they first appear."""
    seen: dict[str, Source] = {}
    for rule in rules.FLAG_RULES:
        for source in FLAG_TEXT[rule.id].sources:
            seen.setdefault(source.url, source)
    return list(seen.values())
