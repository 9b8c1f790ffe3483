"""The forms of sending, withdrawing and the inbox's search, and their wording.

The date of birth is asked as GOV.UK asks a memorable date: day, month and
year in three boxes, with one message for the whole date."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import normalise_code
from submissions.models import normalise_reference

DATE_PARTS = ("birth_day", "birth_month", "birth_year")


def _part(label: str, autocomplete: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": autocomplete,
                "spellcheck": "false",
                "maxlength": str(max_length),
            }
        ),
    )


class BirthDateMixin(forms.Form):
    """Adds `birth_date` to cleaned_data, or one error on the first part to fix."""

    birth_day = _part(_("Day"), "bday-day", 2)
    birth_month = _part(_("Month"), "bday-month", 2)
    birth_year = _part(_("Year"), "bday-year", 4)

    def clean(self) -> dict:
        cleaned = super().clean()
        parts = {name: (cleaned.get(name) or "").strip() for name in DATE_PARTS}
        names = {
            "birth_day": _("a day"),
            "birth_month": _("a month"),
            "birth_year": _("a year"),
        }
        if not any(parts.values()):
            self.add_error("birth_day", _("Enter your date of birth"))
            return cleaned
        missing = [name for name in DATE_PARTS if not parts[name]]
        if missing:
            self.add_error(
                missing[0],
                _("Date of birth must include %(part)s") % {"part": names[missing[0]]},
            )
            return cleaned
        for name in DATE_PARTS:
            if not re.fullmatch(r"[0-9]{1,4}", parts[name]):
                self.add_error(name, _("Date of birth must be a real date"))
                return cleaned
        day, month, year = (int(parts[name]) for name in DATE_PARTS)
        if len(parts["birth_year"]) != 4:
            self.add_error("birth_year", _("Year must include 4 numbers"))
            return cleaned
        try:
            born = datetime.date(year, month, day)
        except ValueError:
            self.add_error(
                "birth_month" if not 1 <= month <= 12 else "birth_day",
                _("Date of birth must be a real date"),
            )
            return cleaned
        if born > timezone.localdate():
            self.add_error("birth_day", _("Date of birth must be in the past"))
        elif year < 1900:
            self.add_error("birth_year", _("Date of birth must be after 1900"))
        else:
            cleaned["birth_date"] = born
        return cleaned

    @property
    def date_errors(self) -> list[str]:
        return [error for name in DATE_PARTS for error in self.errors.get(name, [])]

    def error_list(self) -> list[dict[str, str]]:
        """For the error summary: each message with a link to its field."""
        errors = [
            {"message": error, "href": f"#{self[name].auto_id}"}
            for name in self.fields
            for error in self.errors.get(name, [])
        ]
        errors += [{"message": error, "href": ""} for error in self.non_field_errors()]
        return errors


class SendForm(BirthDateMixin):
    full_name = forms.CharField(
        label=_("Your full name"),
        help_text=_("As your clinic knows you, so they can find your records."),
        max_length=100,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Your name must be 100 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    patient_number = forms.CharField(
        label=_("Your patient number at the clinic (optional)"),
        help_text=_("Only if you know it. It is on letters from the clinic."),
        required=False,
        max_length=30,
        error_messages={"max_length": _("The patient number must be 30 characters or fewer")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("I want to send my answers, my name and my date of birth to this clinic"),
        error_messages={"required": _("Tick the box to say you want to send your answers")},
    )

    field_order = ("full_name", *DATE_PARTS, "patient_number", "consent")

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name or any(ord(c) < 32 for c in name):
            raise forms.ValidationError(_("Enter your full name"), code="required")
        return name

    def clean_patient_number(self) -> str:
        number = " ".join(self.cleaned_data["patient_number"].split())
        if any(ord(c) < 32 for c in number):
            raise forms.ValidationError(_("Enter the patient number as it is on your letters"))
        return number


class WithdrawForm(BirthDateMixin):
    reference = forms.CharField(
        label=_("Your reference"),
        help_text=_("It starts with ITO, for example ITO-7KX4-9FC3."),
        max_length=30,
        error_messages={"required": _("Enter your reference")},
        widget=forms.TextInput(
            attrs={"spellcheck": "false", "autocapitalize": "characters", "autocomplete": "off"}
        ),
    )

    field_order = ("reference", *DATE_PARTS)

    def clean_reference(self) -> str:
        reference = normalise_reference(self.cleaned_data["reference"])
        if reference is None:
            raise forms.ValidationError(
                _("Enter the reference as it was shown, like ITO-7KX4-9FC3"), code="invalid"
            )
        return reference


class ClinicCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your clinic's code"),
        help_text=_("7 letters and numbers. Your clinic can tell you, or it is on their poster."),
        max_length=20,
        error_messages={"required": _("Enter your clinic's code")},
        widget=forms.TextInput(
            attrs={"spellcheck": "false", "autocapitalize": "characters", "autocomplete": "off"}
        ),
    )

    def clean_code(self) -> str:
        return normalise_code(re.sub(r"[\s-]", "", self.cleaned_data["code"]))[:8]

    def error_list(self) -> list[dict[str, str]]:
        return [
            {"message": e, "href": f"#{self['code'].auto_id}"} for e in self.errors.get("code", [])
        ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find by reference or name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
