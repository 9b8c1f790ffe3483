"""What the screener's pages show about the clinic that sent the patient.

`{% load clinics %}` then `{% referral_note %}` on the start page and
`{% show_this_to %}` for the result's "Show this to …" headings."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from clinics.counting import referred_clinic

register = template.Library()


@register.inclusion_tag("clinics/includes/referral_note.html", takes_context=True)
def referral_note(context: template.Context) -> dict[str, object]:
    return {"clinic": referred_clinic(context["request"])}


@register.simple_tag(takes_context=True)
def show_this_to(context: template.Context) -> str:
    clinic = referred_clinic(context["request"])
    if clinic is None:
        return gettext("Show this to your clinician")
    return gettext("Show this to %(clinic)s") % {"clinic": clinic.name}


@register.simple_tag
def field_input(field: object, css_class: str = "form-control") -> str:
    """A form field's input, tied to its hint and error message for screen readers."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str] = {"class": css_class}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
