"""The result page's offer to send the answers to a clinic:
`{% load submissions %}{% send_answers_offer %}`."""

from __future__ import annotations

from django import template

from submissions.views import chosen_clinic

register = template.Library()


@register.inclusion_tag("submissions/includes/offer.html", takes_context=True)
def send_answers_offer(context: template.Context) -> dict[str, object]:
    return {"clinic": chosen_clinic(context["request"])}
