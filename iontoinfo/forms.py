from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from iontoinfo.models import PageRating


class RatingForm(forms.Form):
    # A field hidden from people (and from screen readers): only software fills it.
    HONEYPOT = "website"
    score = forms.TypedChoiceField(
        coerce=int,
        choices=PageRating.Score.choices,
        error_messages={
            "required": _("Select a number from 1 to 5"),
            "invalid_choice": _("Select a number from 1 to 5"),
        },
    )
