"""Pages for healthcare professionals. Everything here is generated from
`screener.rules` and `screener.flags`, never copied by hand."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iontoinfo.origin import site_origin
from iontoinfo.pagecache import cache_whole
from iontoinfo.qr import qr_svg
from professionals import rulebook
from professionals.disagreements import DISAGREEMENTS
from screener import rules
from screener.flags import ALWAYS_TEXT, BAYLOR, HIDREX, NHS_NEWCASTLE, NO_FLAGS_TEXT

# When a clinician last checked these pages against the rules and the fact
# base. A new rules version needs a new review (tests/test_professionals.py).
LAST_REVIEWED = datetime.date(2026, 11, 23)
NEXT_REVIEW_DUE = datetime.date(2027, 11, 23)


def screener_address(request: HttpRequest) -> str:
    return site_origin(request) + reverse("screener:start")


def short_address(request: HttpRequest) -> str:
    """What a person types: the host and /screener, which takes them to the
    screener in their browser's language."""
    return urlsplit(site_origin(request)).netloc + "/screener"


def contact_email(request: HttpRequest) -> str:
    return (
        settings.IONTOINFO_CONTACT_EMAIL or f"webmaster@{urlsplit(site_origin(request)).hostname}"
    )


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    response = render(
        request,
        template,
        {
            "last_reviewed": LAST_REVIEWED,
            "next_review_due": NEXT_REVIEW_DUE,
            "rules_version": rules.RULES_VERSION,
            "contact_email": contact_email(request),
            "report_url": reverse("professionals:index") + "#report-a-problem",
            **context,
        },
    )
    # Like the content pages: public, no cookie, kept for a while by browsers,
    # and kept whole and compressed by the page cache.
    patch_cache_control(response, public=True, max_age=settings.CONTENT_MAX_AGE)
    return cache_whole(response)


def _qr(request: HttpRequest) -> dict[str, object]:
    address = screener_address(request)
    return {
        "screener_address": address,
        "short_address": short_address(request),
        "site_host": urlsplit(site_origin(request)).netloc,
        "qr": qr_svg(
            address, title=_("QR code for the online screener: %(address)s") % {"address": address}
        ),
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "professionals/index.html",
        {
            "question_count": len(rules.QUESTIONS),
            "flag_count": len(rules.FLAG_RULES),
            "levels": rulebook.flags_by_level(),
            "fhir_path": reverse("fhir_questionnaire"),
            "sources": rulebook.sources(),
        },
    )


@require_safe
def rules_page(request: HttpRequest) -> HttpResponse:
    questions = rulebook.questions()
    return _page(
        request,
        "professionals/rules.html",
        {
            "questions": questions,
            "levels": rulebook.flags_by_level(),
            "not_sure": rulebook.not_sure(),
            "metal_in_path": rulebook.metal_in_path(),
            "in_path_flag": rulebook.flag_entry(
                next(rule for rule in rules.FLAG_RULES if rule.id == "metal-implant")
            ),
            "severity_question": next(q for q in questions if q.name == "severity"),
            "severity_flags": [
                rule.id for rule in rules.FLAG_RULES if rule.raised_when.question == "severity"
            ],
            "severity_meanings": _severity_meanings(),
            "no_flags_text": NO_FLAGS_TEXT,
            "always_text": ALWAYS_TEXT,
            "disagreements": DISAGREEMENTS,
            "history": rules.RULES_HISTORY,
            "sources": rulebook.sources(),
        },
    )


@require_safe
def paper_screener(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "professionals/paper_screener.html",
        {
            "questions": rulebook.questions(),
            "levels": rulebook.flags_by_level(),
            "metal_in_path": rulebook.metal_in_path(),
            "severity_meanings": _severity_meanings(),
            "severity_number": rulebook.number("severity"),
            "rules_url": reverse("professionals:rules"),
            "sources": rulebook.sources(),
            **_qr(request),
        },
    )


@require_safe
def handout(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "professionals/handout.html",
        {
            "question_count": len(rules.QUESTIONS),
            # What the handout says: what the treatment is for, and that it is
            # not safe for everyone.
            "sources": (NHS_NEWCASTLE, BAYLOR, HIDREX),
            **_qr(request),
        },
    )


def _severity_meanings() -> list[tuple[str, str]]:
    """HDSS answers grouped by meaning: ("1 or 2", "mild to moderate"), ..."""
    grouped: dict[str, list[str]] = {}
    for value in rules.QUESTION_BY_NAME["severity"].options:
        grouped.setdefault(_(rules.severity_meaning(value)), []).append(value)
    return [(rulebook.either(values), meaning) for meaning, values in grouped.items()]
