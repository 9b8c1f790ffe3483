"""The clinic pages' forms and their wording."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from clinics.models import Role


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Security code"),
        help_text=_(
            "The 6-digit code your authenticator app shows now. If you do not have "
            "your phone, enter one of your recovery codes."
        ),
        max_length=40,
        error_messages={"required": _("Enter the code from your authenticator app")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not re.fullmatch(r"[0-9]{6}|[a-z2-7]{8,16}", code):
            raise forms.ValidationError(
                _("Enter the 6-digit code from your app, or a recovery code"), code="format"
            )
        return code

    @property
    def is_app_code(self) -> bool:
        return self.cleaned_data["code"].isdigit()


class EnrolCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your app"),
        help_text=_("After you add the account, your app shows a 6-digit code. Enter it here."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(
                _("Enter the 6-digit code from your authenticator app"), code="format"
            )
        return code


class SetPasswordForm(forms.Form):
    """A new password, held to the site's password validators."""

    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=password_validation.password_validators_help_text_html,
        strip=False,
        max_length=200,
        error_messages={"required": _("Create a password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        max_length=200,
        error_messages={"required": _("Type the password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = _(
            "At least 12 characters. Not a common password, not only numbers, "
            "and not like your email address."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same"))
        elif first:
            # Judged against an unsaved user with this email, so that a
            # password like the address is refused.
            user = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    admin = forms.BooleanField(
        label=_("Make them a clinic admin"),
        help_text=_("A clinic admin can also invite and remove clinicians."),
        required=False,
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username=email, is_active=True).exists():
            raise forms.ValidationError(
                _("This person already has an account. Each person belongs to one clinic."),
                code="exists",
            )
        return email

    @property
    def role(self) -> str:
        return Role.ADMIN if self.cleaned_data["admin"] else Role.CLINICIAN
