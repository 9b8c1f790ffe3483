"""The screener's questions as people read them: labels, hints, options and errors.

The field names and option values come from `screener.rules` and are a public
contract; the words around them are ours, at a reading age of 9 to 11.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from screener import rules


@dataclass(frozen=True)
class Wording:
    question: str
    hint: str
    options: dict[str, str]
    # Short heading for the check-your-answers page and the printed summary.
    short: str
    required: str
    why: str = ""
    option_hints: dict[str, str] = field(default_factory=dict)
    # Options set apart below an "or" divider ("I'm not sure", "None of these").
    apart: tuple[str, ...] = ()


YES_NO_NOT_SURE = {"yes": _("Yes"), "no": _("No"), "not_sure": _("I'm not sure")}

WORDING: dict[str, Wording] = {
    "areas": Wording(
        question=_("Which parts of your body do you want to treat?"),
        hint=_("Select all that apply."),
        short=_("Parts to treat"),
        options={
            "hands": _("Hands"),
            "feet": _("Feet"),
            "underarms": _("Underarms"),
            "face": _("Face"),
            "other": _("Somewhere else"),
        },
        required=_("Select the parts of your body you want to treat"),
    ),
    "implanted_device": Wording(
        question=_("Do you have a pacemaker or another electronic device inside your body?"),
        hint=_(
            "For example a pacemaker, a heart device that gives shocks (ICD), "
            "a nerve stimulator or a medicine pump."
        ),
        short=_("Electronic device inside the body"),
        options=YES_NO_NOT_SURE,
        apart=("not_sure",),
        required=_("Select yes if you have an electronic device inside your body"),
    ),
    "metal_implant": Wording(
        question=_("Do you have any metal inside your body from an operation?"),
        hint=_("For example plates, screws, pins, rods or a joint replacement such as a new hip."),
        short=_("Metal from an operation"),
        options=YES_NO_NOT_SURE,
        apart=("not_sure",),
        required=_("Select yes if you have metal inside your body from an operation"),
    ),
    "metal_implant_location": Wording(
        question=_("Where is the metal?"),
        hint=_("Select all that apply."),
        short=_("Where the metal is"),
        options={
            "arms_hands": _("In an arm or hand"),
            "legs_feet": _("In a leg or foot"),
            "elsewhere": _("Somewhere else, such as the hip or back"),
        },
        required=_("Select where the metal is"),
    ),
    "pregnant": Wording(
        question=_("Are you pregnant, or could you be?"),
        hint=_("If you are answering for someone else, answer for them."),
        short=_("Pregnant or could be"),
        options=YES_NO_NOT_SURE,
        apart=("not_sure",),
        why=_(
            "Makers and NHS hospitals say not to use iontophoresis in pregnancy. "
            "We ask so that the result can tell you to check with a clinician first. "
            "We delete your answers after 24 hours, or at once if you ask us to."
        ),
        required=_("Select yes if you are pregnant or could be"),
    ),
    "metal_iud": Wording(
        question=_("Do you have a contraceptive coil (IUD) with metal in it?"),
        hint=_("A copper coil has metal in it. Some other coils do too."),
        short=_("Coil with metal"),
        options=YES_NO_NOT_SURE,
        apart=("not_sure",),
        why=_(
            "When feet are treated, the current passes through the lower body. "
            "Some makers and clinics say a coil with metal matters then. "
            "We delete your answers after 24 hours, or at once if you ask us to."
        ),
        required=_("Select yes if you have a coil with metal in it"),
    ),
    "conditions": Wording(
        question=_("Do you have any of these health problems?"),
        hint=_("Select all that apply."),
        short=_("Health problems"),
        options={
            "heart_rhythm": _("A heart rhythm problem or other heart disease"),
            "epilepsy": _("Epilepsy"),
            "blood_clot": _("A blood clot now, or severe disease of the blood vessels"),
            "cancer_in_area": _("Cancer, or a lump that could be cancer, where you want to treat"),
            "none": _("None of these"),
        },
        apart=("none",),
        required=_("Select the health problems you have, or select 'None of these'"),
    ),
    "skin": Wording(
        question=_("Is the skin where you want to treat any of these?"),
        hint=_("Select all that apply."),
        short=_("Skin where you want to treat"),
        options={
            "broken_skin": _("Broken, with cuts or wounds"),
            "infection_or_rash": _("Infected, with a rash, or sore and swollen"),
            "reduced_feeling": _("Numb, or you cannot feel things well there"),
            "none": _("None of these"),
        },
        apart=("none",),
        required=_("Select what your skin is like, or select 'None of these'"),
    ),
    "age": Wording(
        question=_("How old is the person who wants treatment?"),
        hint=_("If that is you, give your own age."),
        short=_("Age"),
        options={"under_6": _("Under 6"), "6_to_17": _("6 to 17"), "18_plus": _("18 or older")},
        required=_("Select the age of the person who wants treatment"),
    ),
    "warning_signs": Wording(
        question=_("Does any of this apply to the sweating?"),
        hint=_("Select all that apply."),
        short=_("About the sweating"),
        options={
            "night_sweats": _("It happens at night, while asleep"),
            "whole_body": _("It is all over the body, not just in a few places"),
            "one_side": _("It is on one side of the body only"),
            "started_after_25": _("It started after the age of 25"),
            "unwell": _("There is also fever, weight loss or feeling unwell"),
            "new_medicine": _("It started after starting a new medicine"),
            "none": _("None of these"),
        },
        apart=("none",),
        required=_("Select what applies to the sweating, or select 'None of these'"),
    ),
    # The Hyperhidrosis Disease Severity Scale, in its own validated wording.
    "severity": Wording(
        question=_("How would you rate the severity of your sweating?"),
        hint=_("Choose the answer that fits best."),
        short=_("How bad the sweating is"),
        options={
            "1": _("My sweating is never noticeable and never interferes with my daily activities"),
            "2": _("My sweating is tolerable but sometimes interferes with my daily activities"),
            "3": _(
                "My sweating is barely tolerable and frequently interferes with my daily activities"
            ),
            "4": _("My sweating is intolerable and always interferes with my daily activities"),
        },
        required=_("Select how bad your sweating is"),
    ),
}

ERRORS = {
    "invalid": _("Select one of the options shown"),
    "exclusive": _("Select 'None of these', or select the ones that apply, but not both"),
}


def error_message(name: str, code: str) -> str:
    return WORDING[name].required if code == "required" else ERRORS[code]


def answer_labels(name: str, value: str | tuple[str, ...]) -> list[str]:
    """An answer as the words the person chose."""
    options = WORDING[name].options
    values = (value,) if isinstance(value, str) else value
    return [options[item] for item in values]


class AnswerField(forms.BoundField):
    """The question's group of options.

    Its ids do not name the question ("answer", "answer_0"...): the error
    summary's links put them in the address bar and the browser's history, as
    "#answer_0". And its error belongs to the group, as in GOV.UK: the message
    sits in the fieldset, which names it in `aria-describedby`. Django would
    mark each option `aria-invalid`, and a screen reader would then say
    "invalid" on every one of them."""

    @property
    def auto_id(self) -> str:
        return "answer"

    def build_widget_attrs(self, attrs: dict, widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("aria-invalid", None)
        return attrs


class QuestionForm(forms.Form):
    """One question: a single field named after it, radios or checkboxes."""

    # No `required` either: on radios it makes the browser itself report each
    # one "invalid" until one is chosen. The server checks the answer.
    use_required_attribute = False

    def __init__(self, question: rules.Question, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.wording = WORDING[question.name]
        choices = list(self.wording.options.items())
        field_class = forms.MultipleChoiceField if question.multiple else forms.ChoiceField
        widget = forms.CheckboxSelectMultiple if question.multiple else forms.RadioSelect
        self.fields[question.name] = field_class(
            label=self.wording.question,
            help_text=self.wording.hint,
            choices=choices,
            widget=widget(attrs={"class": "form-check-input"}),
            bound_field_class=AnswerField,
            error_messages={
                "required": self.wording.required,
                "invalid_choice": ERRORS["invalid"],
                "invalid_list": ERRORS["invalid"],
            },
        )
        if self.is_bound and hasattr(self.data, "getlist"):
            # A blank value is a form sent with nothing chosen: "required", not "invalid".
            data = self.data.copy()
            data.setlist(question.name, [v for v in data.getlist(question.name) if v != ""])
            self.data = data
        self.helper = FormHelper()
        self.helper.form_method = "post"
        # Our error summary replaces the browser's own bubbles.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field(question.name, template="screener/question_field.html"),
            HTML('{% include "screener/why_we_ask.html" %}'),
            HTML('{% include "screener/continue_button.html" %}'),
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        name = self.question.name
        if name in self.errors:
            return cleaned
        # The rules decide what an acceptable answer is ("none" alone, one
        # radio); the form only turns their verdict into words.
        raw = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
        try:
            cleaned[name] = rules.clean(self.question, raw)
        except rules.InvalidAnswer as error:
            self.add_error(name, error_message(name, error.code))
        return cleaned

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """The error summary's entries, each linking to the first option of its question."""
        return [
            {"message": str(errors[0]), "href": f"#{self[name].auto_id}_0"}
            for name, errors in self.errors.items()
            if name in self.fields
        ]

    @property
    def answer(self) -> str | tuple[str, ...]:
        return self.cleaned_data[self.question.name]
