"""The screener's rules: the design's contract, branching, cleaning and flags."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from screener import rules
from screener.rules import (
    FLAG_IDS,
    FLAG_LEVEL,
    FLAG_RULES,
    LEVELS,
    QUESTION_BY_NAME,
    QUESTIONS,
    RULES_HISTORY,
    RULES_VERSION,
    Flag,
    InvalidAnswer,
    applicable,
    clean,
    first_unanswered,
    flags,
    flags_by_level,
    is_complete,
    progress,
    relevant,
    severity_meaning,
)

# The design's question table (/work/shared/design/screener.md), written out
# as the contract: name, several-choice?, option values, exclusive option.
QUESTION_CONTRACT = [
    ("areas", True, "hands feet underarms face other", None),
    ("implanted_device", False, "yes no not_sure", None),
    ("metal_implant", False, "yes no not_sure", None),
    ("metal_implant_location", True, "arms_hands legs_feet elsewhere", None),
    ("pregnant", False, "yes no not_sure", None),
    ("metal_iud", False, "yes no not_sure", None),
    ("conditions", True, "heart_rhythm epilepsy blood_clot cancer_in_area none", "none"),
    ("skin", True, "broken_skin infection_or_rash reduced_feeling none", "none"),
    ("age", False, "under_6 6_to_17 18_plus", None),
    ("warning_signs", True, "night_sweats whole_body one_side started_after_25 unwell "
     "new_medicine none", "none"),
    ("severity", False, "1 2 3 4", None),
]  # fmt: skip
WARNING_SIGNS = ["night_sweats", "whole_body", "one_side", "started_after_25", "unwell",
                 "new_medicine"]  # fmt: skip

# The design's flag table, in its order.
FLAG_CONTRACT = [
    ("implanted-device", "stop"),
    ("pregnancy", "stop"),
    ("metal-implant", "discuss"),
    ("metal-iud", "discuss"),
    ("heart-rhythm", "stop"),
    ("epilepsy", "stop"),
    ("blood-clot", "stop"),
    ("cancer-in-area", "stop"),
    ("broken-skin", "discuss"),
    ("skin-infection", "discuss"),
    ("reduced-feeling", "discuss"),
    ("young-child", "stop"),
    ("under-18", "discuss"),
    ("face", "discuss"),
    ("other-cause", "check-cause"),
]

# A complete set of answers that raises nothing.
CLEAR = {
    "areas": ("hands",),
    "implanted_device": "no",
    "metal_implant": "no",
    "pregnant": "no",
    "conditions": ("none",),
    "skin": ("none",),
    "age": "18_plus",
    "warning_signs": ("none",),
    "severity": "2",
}


def ids(answers) -> list[str]:
    return [flag.id for flag in flags(answers)]


def test_questions_match_the_design_table_exactly():
    expected = [
        (name, many, tuple(options.split()), ex) for name, many, options, ex in QUESTION_CONTRACT
    ]
    assert [(q.name, q.multiple, q.options, q.exclusive) for q in QUESTIONS] == expected
    assert list(QUESTION_BY_NAME) == [name for name, *_ in QUESTION_CONTRACT]


def test_flags_match_the_design_table_exactly():
    assert list(FLAG_IDS) == [flag_id for flag_id, _ in FLAG_CONTRACT]
    assert dict(FLAG_CONTRACT) == FLAG_LEVEL


def test_levels_run_from_most_to_least_severe_and_the_version_is_set():
    assert LEVELS == ("stop", "discuss", "check-cause")
    assert RULES_VERSION == "2026.1"


def test_a_person_with_nothing_to_flag_gets_no_flags():
    assert is_complete(CLEAR)
    assert flags(CLEAR) == []
    assert flags_by_level(CLEAR) == {"stop": [], "discuss": [], "check-cause": []}


@pytest.mark.parametrize(
    ("change", "flag_id"),
    [
        ({"implanted_device": "yes"}, "implanted-device"),
        ({"implanted_device": "not_sure"}, "implanted-device"),
        ({"pregnant": "yes"}, "pregnancy"),
        ({"pregnant": "not_sure"}, "pregnancy"),
        ({"metal_implant": "not_sure"}, "metal-implant"),
        ({"metal_implant": "yes", "metal_implant_location": ("elsewhere",)}, "metal-implant"),
        ({"areas": ("feet",), "metal_iud": "yes"}, "metal-iud"),
        ({"areas": ("feet",), "metal_iud": "not_sure"}, "metal-iud"),
        ({"conditions": ("heart_rhythm",)}, "heart-rhythm"),
        ({"conditions": ("epilepsy",)}, "epilepsy"),
        ({"conditions": ("blood_clot",)}, "blood-clot"),
        ({"conditions": ("cancer_in_area",)}, "cancer-in-area"),
        ({"skin": ("broken_skin",)}, "broken-skin"),
        ({"skin": ("infection_or_rash",)}, "skin-infection"),
        ({"skin": ("reduced_feeling",)}, "reduced-feeling"),
        ({"age": "under_6"}, "young-child"),
        ({"age": "6_to_17"}, "under-18"),
        ({"areas": ("hands", "face")}, "face"),
        *(({"warning_signs": (sign,)}, "other-cause") for sign in WARNING_SIGNS),
    ],
)
def test_each_flag_is_raised_by_its_trigger_alone(change, flag_id):
    raised = flags({**CLEAR, **change})
    assert [flag.id for flag in raised] == [flag_id]
    assert raised[0].level == FLAG_LEVEL[flag_id]


@pytest.mark.parametrize(
    "change",
    [
        {"areas": ("feet",), "metal_iud": "no"},
        {"areas": ("hands", "feet", "underarms", "other")},
        {"age": "18_plus", "severity": "4"},
    ],
)
def test_answers_that_are_not_triggers_raise_nothing(change):
    assert flags({**CLEAR, **change}) == []


@pytest.mark.parametrize(
    ("device", "metal", "pregnant"),
    list(itertools.product(("yes", "no", "not_sure"), repeat=3)),
)
def test_core_answers_raise_exactly_their_flags(device, metal, pregnant):
    answers = {**CLEAR, "implanted_device": device, "metal_implant": metal, "pregnant": pregnant}
    if metal == "yes":
        answers["metal_implant_location"] = ("elsewhere",)
    # Most severe first: the two stop flags, then metal-implant (discuss).
    core = [("implanted-device", device), ("pregnancy", pregnant), ("metal-implant", metal)]
    assert ids(answers) == [flag_id for flag_id, answer in core if answer != "no"]


def test_flags_come_most_severe_first_then_in_table_order():
    # Every flag but under-18 (age can only raise one of young-child / under-18).
    everything = {
        "areas": ("feet", "face"), "implanted_device": "yes", "metal_implant": "not_sure",
        "pregnant": "yes", "metal_iud": "yes",
        "conditions": ("heart_rhythm", "epilepsy", "blood_clot", "cancer_in_area"),
        "skin": ("broken_skin", "infection_or_rash", "reduced_feeling"),
        "age": "under_6", "warning_signs": ("one_side",), "severity": "4",
    }  # fmt: skip
    by_level = sorted(FLAG_CONTRACT, key=lambda pair: LEVELS.index(pair[1]))
    expected = [flag_id for flag_id, _ in by_level if flag_id != "under-18"]
    assert ids(everything) == expected
    grouped = flags_by_level(everything)
    assert list(grouped) == list(LEVELS)
    assert [flag.id for flag in grouped["check-cause"]] == ["other-cause"]


# The first two answers, the same on every path.
BEGUN = {"areas": ("hands",), "implanted_device": "no"}
NO_METAL = {**BEGUN, "metal_implant": "no"}


@pytest.mark.parametrize(
    ("answers", "next_question"),
    [
        ({}, "areas"),
        (BEGUN, "metal_implant"),
        ({**BEGUN, "metal_implant": "yes"}, "metal_implant_location"),
        ({**BEGUN, "metal_implant": "not_sure"}, "pregnant"),
        (NO_METAL, "pregnant"),
        ({**NO_METAL, "areas": ("feet",), "pregnant": "no"}, "metal_iud"),
        ({**NO_METAL, "pregnant": "no"}, "conditions"),
        ({**CLEAR, "age": "over_99"}, "age"),
        ({**CLEAR, "skin": ("none", "broken_skin")}, "skin"),
        ({**CLEAR, "areas": "hands"}, "areas"),
    ],
)
def test_the_next_question_follows_the_branching(answers, next_question):
    assert first_unanswered(answers).name == next_question
    # What the pages use: the questions asked and the next one, from one walk.
    asked, first = progress(answers)
    assert first.name == next_question
    assert asked == applicable(answers)
    assert not is_complete(answers)


@pytest.mark.parametrize(
    ("answers", "question", "asked"),
    [
        ({"metal_implant": "yes"}, "metal_implant_location", True),
        ({"metal_implant": "no"}, "metal_implant_location", False),
        ({"metal_implant": "not_sure"}, "metal_implant_location", False),
        ({}, "metal_implant_location", False),
        ({"areas": ("hands", "feet")}, "metal_iud", True),
        ({"areas": ("hands", "underarms")}, "metal_iud", False),
        ({}, "metal_iud", False),
    ],
)
def test_location_is_asked_only_after_metal_yes_and_coil_only_with_feet(answers, question, asked):
    assert (QUESTION_BY_NAME[question] in applicable(answers)) is asked


@pytest.mark.parametrize(
    ("before", "change", "dropped", "gone_flag"),
    [
        ({"metal_implant": "yes", "metal_implant_location": ("arms_hands",)},
         {"metal_implant": "no"}, "metal_implant_location", "metal-implant"),
        ({"areas": ("feet",), "metal_iud": "yes"},
         {"areas": ("hands",)}, "metal_iud", "metal-iud"),
    ],
)  # fmt: skip
def test_answers_a_change_makes_irrelevant_are_dropped(before, change, dropped, gone_flag):
    answers = {**CLEAR, **before}
    assert relevant(answers)[dropped] == before[dropped]
    assert gone_flag in ids(answers)
    changed = {**answers, **change}
    assert dropped not in relevant(changed)
    assert relevant(relevant(changed)) == relevant(changed)
    assert gone_flag not in ids(changed)
    assert is_complete(changed)


@pytest.mark.parametrize(
    ("areas", "locations", "in_path"),
    [
        (("hands",), ("arms_hands",), True),
        (("underarms",), ("arms_hands",), True),  # armpit pads sit by the arm: safer side
        (("feet",), ("legs_feet",), True),
        (("face", "feet"), ("elsewhere", "legs_feet"), True),
        (("hands",), ("legs_feet",), False),
        (("feet",), ("arms_hands",), False),
        (("face", "other"), ("arms_hands", "legs_feet"), False),
        (("hands", "feet"), ("elsewhere",), False),
    ],
)
def test_metal_in_a_treated_limb_gets_stronger_wording(areas, locations, in_path):
    answers = {**CLEAR, "areas": areas, "metal_implant": "yes"}
    answers["metal_implant_location"] = locations
    metal = [flag for flag in flags(answers) if flag.id == "metal-implant"]
    assert metal == [Flag("metal-implant", "discuss", in_path=in_path)]


def test_unsure_about_metal_is_flagged_without_a_location():
    answers = {**CLEAR, "metal_implant": "not_sure", "metal_implant_location": ("arms_hands",)}
    assert flags(answers) == [Flag("metal-implant", "discuss", in_path=False)]


@pytest.mark.parametrize(
    ("name", "values", "code"),
    [
        ("pregnant", [], "required"),
        ("areas", [""], "required"),
        ("pregnant", ["maybe"], "invalid"),
        ("areas", ["hands", "knees"], "invalid"),
        ("pregnant", ["yes", "no"], "invalid"),
        ("areas", ["hands", "hands"], "invalid"),
        ("conditions", ["none", "epilepsy"], "exclusive"),
        ("skin", ["broken_skin", "none"], "exclusive"),
        ("warning_signs", ["none", "unwell"], "exclusive"),
    ],
)
def test_clean_refuses_bad_answers_with_a_code(name, values, code):
    with pytest.raises(InvalidAnswer) as error:
        clean(QUESTION_BY_NAME[name], values)
    assert error.value.code == code
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("name", "values", "cleaned"),
    [
        ("implanted_device", ["not_sure"], "not_sure"),
        ("severity", ["3"], "3"),
        ("areas", ["face", "hands"], ("hands", "face")),
        ("conditions", ["none"], ("none",)),
    ],
)
def test_clean_returns_a_str_or_a_tuple_in_option_order(name, values, cleaned):
    assert clean(QUESTION_BY_NAME[name], values) == cleaned


@pytest.mark.parametrize(
    ("value", "meaning"),
    [("1", "mild to moderate"), ("2", "mild to moderate"), ("3", "severe"), ("4", "severe")],
)
def test_severity_is_explained_on_the_hdss_scale(value, meaning):
    assert severity_meaning(value) == meaning


def test_rules_import_nothing_from_django():
    # In the source: no import statement names django ...
    nodes = list(ast.walk(ast.parse(Path(rules.__file__).read_text())))
    modules = [n.module or "" for n in nodes if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in nodes if isinstance(n, ast.Import) for a in n.names]
    assert not [name for name in modules if name.split(".")[0] == "django"]
    # ... and at run time: a fresh interpreter importing the rules loads no django.
    probe = "import sys, screener.rules; print(sorted(m for m in sys.modules if 'django' in m))"
    root = Path(rules.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_history_names_every_version_newest_first_and_the_newest_is_in_force():
    versions = [revision.version for revision in RULES_HISTORY]
    assert versions[0] == RULES_VERSION
    assert len(set(versions)) == len(versions)
    dates = [revision.date for revision in RULES_HISTORY]
    assert dates == sorted(dates, reverse=True)
    assert all(revision.changes and revision.why for revision in RULES_HISTORY)


def test_every_condition_names_a_real_question_and_its_own_options():
    conditions = [rule.raised_when for rule in FLAG_RULES] + [
        question.when for question in QUESTIONS if question.when is not None
    ]
    for condition in conditions:
        options = QUESTION_BY_NAME[condition.question].options
        assert condition.values, condition
        assert set(condition.values) <= set(options), condition
