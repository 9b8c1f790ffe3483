"""What is sent, and how the clinic reads it: the same summary as the
patient's printout (answers, flags by level with their texts, rules version,
date). The flags are worked out when the patient sends, and kept with the
answers, so the clinic sees the flags the patient saw even after the rules
change."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screener import rules
from screener.flags import FLAG_TEXT, LEVEL_TEXT
from screener.forms import WORDING, answer_labels


def details_to_send(
    answers: rules.Answers,
    *,
    name: str,
    birth_date: datetime.date,
    patient_number: str,
    language: str,
    consent: str = "",
) -> dict:
    """What is stored, encrypted: `consent` is the wording the person ticked,
    kept with the time, to show what they agreed to."""
    kept = rules.relevant(answers)
    return {
        "consent": {"wording": consent, "at": timezone.now().isoformat()},
        "name": name,
        "birth_date": birth_date.isoformat(),
        "patient_number": patient_number,
        "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in kept.items()},
        "flags": [
            {"id": flag.id, "level": flag.level, "in_path": flag.in_path}
            for flag in rules.flags(kept)
        ],
        "rules_version": rules.RULES_VERSION,
        "language": language,
    }


def answers_of(details: dict) -> dict[str, str | tuple[str, ...]]:
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in details.get("answers", {}).items()
    }


# Short names of the levels, for the inbox's counts.
LEVEL_LABEL = {
    "stop": _("Stop"),
    "discuss": _("Discuss"),
    "check-cause": _("Check cause"),
}


def flag_counts(details: dict) -> list[dict[str, object]]:
    """How many flags were raised at each level, in severity order."""
    counts = dict.fromkeys(rules.LEVELS, 0)
    for flag in details.get("flags", []):
        if flag.get("level") in counts:
            counts[flag["level"]] += 1
    return [
        {"level": level, "count": count, "label": LEVEL_LABEL.get(level, level)}
        for level, count in counts.items()
    ]


def summary(details: dict) -> dict[str, object]:
    """The printout's parts: flag groups by level with their texts, and the
    answers as question and answer labels."""
    groups = []
    for level in rules.LEVELS:
        raised = [
            {"id": flag["id"], "in_path": flag.get("in_path", False), "text": FLAG_TEXT[flag["id"]]}
            for flag in details.get("flags", [])
            if flag.get("level") == level and flag.get("id") in FLAG_TEXT
        ]
        if raised:
            heading, advice = LEVEL_TEXT[level]
            groups.append({"level": level, "heading": heading, "advice": advice, "flags": raised})
    answers = answers_of(details)
    rows = []
    for question in rules.QUESTIONS:
        if question.name not in answers or question.name not in WORDING:
            continue
        try:
            values = answer_labels(question.name, answers[question.name])
        except KeyError:
            values = list(answers[question.name])
        rows.append({"name": question.name, "key": WORDING[question.name].short, "values": values})
    return {
        "groups": groups,
        "rows": rows,
        "flag_count": sum(len(group["flags"]) for group in groups),
        "rules_version": details.get("rules_version", ""),
    }
