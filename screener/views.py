"""The screener's pages: start, one page per question, check your answers, result.

Answers live only in the server-side session, under one key. Every page here
sends `Cache-Control: no-store`, and POST bodies are hidden from error reports.
The questions, their order and the flags come from `screener.rules`.

A question's address names no question: it is /<language>/screener/q/<token>/,
the token an HMAC of the question's name under a random salt kept in that
person's session. Which questions someone is asked depends on their earlier
answers, so addresses named after questions would tell those answers to
anyone who reads an access log or the browser's history.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from http import HTTPStatus

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from iontoinfo.origin import site_origin
from iontoinfo.resilience import service_unavailable
from iontoinfo.views import too_many_requests
from iontoinfo.voters import ratelimit_session
from screener import rendered, rules
from screener.flags import ALWAYS_TEXT, FLAG_TEXT, LEVEL_TEXT, NO_FLAGS_TEXT, SEVERITY_TEXT
from screener.forms import WORDING, QuestionForm, answer_labels
from screener.signals import journey_finished, journey_started

SESSION_KEY = "screener"
# Reading a page renews the session's 24 hours at most this often (seconds):
# a page read is not a database write. Answering always writes.
RENEW_EVERY = 5 * 60
RENEWED_KEY = "renewed"
# What "Start again" keeps: a clinic's referral code, which is not health data.
KEPT_ON_START_AGAIN = ("referral",)
View = Callable[..., HttpResponse]


def screener_page(view: View) -> View:
    """What every screener page needs: no caching, hidden POST data, and a
    session that lasts while the person is still using it."""

    @never_cache
    @sensitive_post_parameters()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        session = request.session
        try:
            has_journey = SESSION_KEY in session
        except DatabaseError:
            return response  # the view has said the database is down
        if has_journey:
            # Renew the inactivity limit when the session is written anyway,
            # or when its last renewal is a few minutes old.
            now = int(time.time())
            renewed = session.get(RENEWED_KEY)
            if session.modified or not isinstance(renewed, int) or now - renewed >= RENEW_EVERY:
                session[RENEWED_KEY] = now
        return response

    return wrapper


# --- The session --------------------------------------------------------------


def _state(request: HttpRequest) -> dict:
    # A journey is begun (begin or start_again) with the salt of its addresses;
    # a state without one is no journey this code can address.
    state = request.session.get(SESSION_KEY, {})
    return state if isinstance(state, dict) and state.get("salt") else {}


def _answers(request: HttpRequest) -> dict[str, str | tuple[str, ...]]:
    # The session stores JSON, so several-choice answers come back as lists.
    stored = _state(request).get("answers", {})
    answers = {
        name: tuple(value) if isinstance(value, list) else value for name, value in stored.items()
    }
    return rules.relevant(answers)


def _save(request: HttpRequest, answers: rules.Answers, **changes: bool) -> None:
    # The first answer of a journey (after "Start now" or "Start again").
    first = not _state(request).get("answers")
    # Lists, as JSON stores them, whichever session backend keeps them.
    stored = {name: list(v) if isinstance(v, tuple) else v for name, v in answers.items()}
    state = {**_state(request), **changes, "answers": stored}
    if state == request.session.get(SESSION_KEY):
        return  # nothing changed: no session write
    request.session[SESSION_KEY] = state
    if first:
        journey_started.send(sender=None, request=request)


def _started(request: HttpRequest) -> bool:
    return bool(_state(request).get("answers"))


def _had_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _begin_journey(request: HttpRequest, state: dict) -> None:
    """Someone starts, or starts again. Their session gets a new key, so that
    a session cookie planted in their browser by someone else no longer reads
    what they answer from now on."""
    # A good moment to delete everyone's expired answers, so that "deleted
    # after 24 hours" holds even without a scheduled job.
    request.session.clear_expired()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {**state, "salt": state.get("salt") or secrets.token_hex(16)}


# --- Addresses ----------------------------------------------------------------


def _token_key(salt: str) -> bytes:
    # The key Django's salted_hmac("screener.question", name, secret=salt)
    # derives: the addresses are the ones salted_hmac made.
    return hashlib.sha256(b"screener.question" + salt.encode()).digest()


def _keyed_token(key: bytes, name: str) -> str:
    return hmac.digest(key, name.encode(), "sha256").hex()[:16]


def question_token(salt: str, name: str) -> str:
    """A question's address within one person's session; 64 bits."""
    return _keyed_token(_token_key(salt), name)


def question_tokens(salt: str) -> dict[str, str]:
    """Every question's address within one person's session, the key derived once."""
    key = _token_key(salt)
    return {question.name: _keyed_token(key, question.name) for question in rules.QUESTIONS}


@lru_cache(maxsize=256)
def _reverse(name: str, args: tuple[str, ...], language: str, prefix: str, urlconf: str) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def url(name: str, *args: str) -> str:
    """reverse() for the screener's addresses, worked out once per language
    rather than on every request. Only for fixed arguments (TOKEN_SLOT), never
    for a person's tokens, which question_url puts in."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(name, args, get_language(), get_script_prefix(), urlconf)


# A question's address with 16 zeros where its token goes.
TOKEN_SLOT = "0" * 16


def question_url(request: HttpRequest, question: rules.Question) -> str:
    token = question_token(_state(request)["salt"], question.name)
    return url("screener:question", TOKEN_SLOT).replace(TOKEN_SLOT, token)


def _question_at(request: HttpRequest, token: str) -> rules.Question | None:
    salt = _state(request).get("salt")
    if not salt:
        return None
    key = _token_key(salt)
    for question in rules.QUESTIONS:
        if constant_time_compare(_keyed_token(key, question.name), token):
            return question
    return None


def _resume(request: HttpRequest, answers: rules.Answers) -> HttpResponse:
    """Back to where the person is: the first unanswered question, else the
    check page; the start page for someone who has not begun."""
    if not _state(request):
        return redirect("screener:start")
    first = rules.first_unanswered(answers)
    return HttpResponseRedirect(question_url(request, first) if first else url("screener:check"))


def _lost_or_resume(request: HttpRequest, answers: rules.Answers) -> HttpResponse:
    # Someone whose journey is gone (posting a question, or coming back with
    # an old session cookie) is told so; someone who simply jumped ahead is
    # taken to where they are, or to the start page if they never began.
    if not _state(request) and (request.method == "POST" or _had_session(request)):
        return redirect("screener:expired")
    return _resume(request, answers)


# --- Pages --------------------------------------------------------------------


@screener_page
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "screener/start.html",
        {"begin_url": reverse("screener:begin"), "started": _started(request)},
    )


@screener_page
@require_safe
def begin(request: HttpRequest) -> HttpResponse:
    """The start page's "Start now": a new session key, any answers already
    given kept, then on to where the person is."""
    _begin_journey(request, _state(request))
    return _resume(request, _answers(request))


@screener_page
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=ratelimit_session, rate=settings.RATE_LIMIT_ANSWERS, method="POST", block=False)
@sensitive_variables("answers", "form")
def question(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many_requests(request)
    try:
        return _question(request, token)
    except DatabaseError:
        # The session could not be read (the database is down): the answer
        # is not lost, it is shown again to be sent in a minute.
        return _unsaved(request, None)


def _unsaved(request: HttpRequest, this: rules.Question | None) -> HttpResponse:
    """The question again with the person's choice still selected, and a 503
    saying that nothing was saved. Without a session the question is known
    from the form's field name, which is the question's name."""
    if this is None and request.method == "POST":
        names = [name for name in request.POST if name in rules.QUESTION_BY_NAME]
        this = rules.QUESTION_BY_NAME[names[0]] if names else None
    if this is None:
        return service_unavailable(request)
    form = QuestionForm(this, request.POST)
    form.is_valid()
    form.helper.form_action = request.path
    message = gettext("We could not save your answer. Try again in a minute.")
    response = render(
        request,
        "screener/question.html",
        {
            "form": form,
            "question": this,
            "back_url": reverse("screener:start"),
            "unsaved": [{"message": message, "href": ""}],
        },
        status=HTTPStatus.SERVICE_UNAVAILABLE,
    )
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response


def _question(request: HttpRequest, token: str) -> HttpResponse:
    this = _question_at(request, token)
    answers = _answers(request)
    if this is None:
        if answers:
            raise Http404("No such question")
        return _lost_or_resume(request, answers)
    name = this.name
    asked, first = rules.progress(answers)
    if this not in asked or (first is not None and asked.index(this) > asked.index(first)):
        # Not asked for these answers, or earlier questions are still open.
        return _lost_or_resume(request, answers)

    checking = _state(request).get("checking", False)
    status = HTTPStatus.OK
    if request.method == "POST":
        try:
            # What the form would accept, asked of the rules directly: the
            # form (fields, widgets, layout) is only built to show an error.
            answer = rules.clean(this, request.POST.getlist(name))
        except rules.InvalidAnswer:
            answer = None
        if answer is not None:
            answers = rules.relevant({**answers, name: answer})
            _save(request, answers, submitted=False)
            # The session is written after this view (SessionMiddleware); if
            # that fails, this page is shown instead of the next question.
            request.on_session_unsaved = lambda: _unsaved(request, this)
            return HttpResponseRedirect(_next_url(request, this, answers, checking))
        form = QuestionForm(this, request.POST)
        form.is_valid()  # the rules' verdict, in words
        status = HTTPStatus.BAD_REQUEST

    position = asked.index(this)
    if checking:
        back_url = url("screener:check")
    elif position:
        back_url = question_url(request, asked[position - 1])
    else:
        back_url = url("screener:start")
    if status == HTTPStatus.OK:
        return _question_page(request, this, answers.get(name), back_url)
    # An explicit action, so that a #fragment from the error summary is not
    # carried on to the next question's address.
    form.helper.form_action = request.path
    return render(
        request,
        "screener/question.html",
        {"form": form, "question": this, "back_url": back_url},
        status=status,
    )


# A question page differs between people only in its addresses (the form's
# action, the back link), its CSRF token and which options are ticked. So each
# question is rendered once per language, with placeholders and nothing
# ticked, and filled in for each request: the same form templates are not
# rendered again and again. No answer is part of what is kept.
_ACTION, _BACK, _CSRF = "/@@action@@/", "/@@back@@/", "@@csrf@@"
# This question's token in the addresses that the page derives from its own
# (the language switcher and hreflang links): each person's token differs.
_THIS_QUESTION = "@@this-question@@"
_RENDERED: dict[tuple[str, str, str], str] = {}


def _question_page(
    request: HttpRequest, this: rules.Question, value: object, back_url: str
) -> HttpResponse:
    key = (get_language(), site_origin(request), this.name)
    html = _RENDERED.get(key)
    if html is None:
        form = QuestionForm(this)
        form.helper.form_action = _ACTION
        context = {"form": form, "question": this, "back_url": _BACK, "csrf_token": _CSRF}
        html = render_to_string("screener/question.html", context, request=request)
        html = html.replace(_token(request), _THIS_QUESTION)
        _RENDERED[key] = html
    html = (
        html.replace(_THIS_QUESTION, _token(request))
        .replace(_ACTION, escape(request.path))
        .replace(_BACK, escape(back_url))
        .replace(_CSRF, get_token(request))
    )
    chosen = () if value is None else (value,) if isinstance(value, str) else value
    for option in chosen:
        if option in this.options:  # the options are plain tokens, as rules.py defines them
            # As Django's widget renders it: `checked` last in the tag.
            tag = re.compile(rf'(<input [^>]*name="{this.name}" value="{option}"[^>]*)>')
            html = tag.sub(r"\1 checked>", html, count=1)
    return HttpResponse(html)


def _token(request: HttpRequest) -> str:
    """The question's token in this person's address, /<language>/screener/q/<token>/."""
    return request.resolver_match.kwargs["token"]


def _next_url(
    request: HttpRequest, this: rules.Question, answers: rules.Answers, checking: bool
) -> str:
    asked, first = rules.progress(answers)
    if checking:
        # After a change, back to the check page through any new question.
        return question_url(request, first) if first else url("screener:check")
    later = asked[asked.index(this) + 1 :]
    return question_url(request, later[0]) if later else url("screener:check")


def _summary_rows(answers: rules.Answers) -> list[dict[str, object]]:
    """The answers as the check page and the result's summary list them; each
    row's change address is a placeholder (see _fill_change_urls)."""
    return [
        {
            "name": question.name,
            "key": WORDING[question.name].short,
            "question": WORDING[question.name].question,
            "values": answer_labels(question.name, answers[question.name]),
            "change_url": _CHANGE.format(question.name),
        }
        for question in rules.applicable(answers)
    ]


# A question's address in this person's session, in a page kept by
# screener.rendered: filled in for each request.
_CHANGE = "/@@change-{}@@/"
_CHANGES = re.compile("/@@change-([a-z_]+)@@/")


def _fill_change_urls(request: HttpRequest, html: str) -> str:
    # One address resolved, the others made from it: they differ only in
    # the token (question_url).
    address = escape(url("screener:question", TOKEN_SLOT))
    tokens = question_tokens(_state(request)["salt"])
    return _CHANGES.sub(lambda match: address.replace(TOKEN_SLOT, tokens[match[1]]), html)


@screener_page
@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if not answers or not rules.is_complete(answers):
        return _lost_or_resume(request, answers)
    if request.method == "POST":
        _save(request, answers, checking=True, submitted=True)
        return HttpResponseRedirect(url("screener:result"))
    _save(request, answers, checking=True)

    # The page is the same for everyone with these answers in this language
    # but for its addresses and CSRF token (screener.rendered).
    def render_page() -> str:
        context = {"rows": _summary_rows(answers), "back_url": _BACK, "csrf_token": _CSRF}
        return render_to_string("screener/check.html", context, request=request)

    asked = rules.applicable(answers)
    html = rendered.part(f"check {site_origin(request)}", answers, render_page)
    html = html.replace(_BACK, escape(question_url(request, asked[-1])))  # the last question
    html = html.replace(_CSRF, get_token(request))
    return HttpResponse(_fill_change_urls(request, html))


@screener_page
@require_safe
def result(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if not answers or not rules.is_complete(answers):
        return _lost_or_resume(request, answers)
    if not _state(request).get("submitted"):
        return HttpResponseRedirect(url("screener:check"))
    if not _state(request).get("finished"):
        _save(request, answers, finished=True)
        journey_finished.send(sender=None, request=request)
    # Here, not at the top: the sending app reads this module's sessions.
    from clinics.templatetags.clinics import show_this_to
    from submissions.templatetags.submissions import send_answers_offer

    page = rendered.part(f"result {site_origin(request)}", answers, _result_page(request, answers))
    # What differs between people with the same answers, filled in for each
    # request: the CSRF token, a clinic, the host and the date.
    offer = send_answers_offer({"request": request})
    fills = {
        _CSRF: get_token(request),
        _SHOW_THIS_TO: escape(show_this_to({"request": request})),
        # Without a clinic the offer is the same for everyone in a language.
        _SEND_OFFER: (
            render_to_string("submissions/includes/offer.html", offer)
            if offer["clinic"]
            else _no_clinic_offer(get_language(), get_script_prefix())
        ),
        _HOST: escape(request.get_host()),
        _DATE: _printed_date(timezone.localdate(), get_language()),
    }
    # In one pass, so that nothing filled in (a clinic's name) is read again.
    return HttpResponse(_RESULT_FILLS.sub(lambda match: fills[match.group(0)], page))


@lru_cache(maxsize=16)
def _no_clinic_offer(language: str, prefix: str) -> str:
    return render_to_string("submissions/includes/offer.html", {"clinic": None})


@lru_cache(maxsize=16)
def _printed_date(day: datetime.date, language: str) -> str:
    return escape(date_filter(day, "j F Y"))


# The result page's placeholders for what differs between people.
_SHOW_THIS_TO, _SEND_OFFER, _HOST, _DATE = "@@show@@", "@@offer@@", "@@host@@", "@@date@@"
_RESULT_FILLS = re.compile(
    "|".join(re.escape(p) for p in (_CSRF, _SHOW_THIS_TO, _SEND_OFFER, _HOST, _DATE))
)


def _result_page(request: HttpRequest, answers: rules.Answers) -> Callable[[], str]:
    """Renders the result page for these answers, with placeholders."""

    def render_page() -> str:
        by_level = rules.flags_by_level(answers)
        groups = [
            {
                "level": level,
                "heading": LEVEL_TEXT[level][0],
                "advice": LEVEL_TEXT[level][1],
                "flags": [{"flag": flag, "text": FLAG_TEXT[flag.id]} for flag in raised],
            }
            for level, raised in by_level.items()
            if raised
        ]
        severity = answers["severity"]
        context = {
            "groups": groups,
            "flag_count": sum(len(group["flags"]) for group in groups),
            "no_flags_text": NO_FLAGS_TEXT,
            "always_text": ALWAYS_TEXT,
            "severity": severity,
            "severity_label": answer_labels("severity", severity)[0],
            "severity_text": SEVERITY_TEXT[severity],
            "rows": _summary_rows(answers),
            "rules_version": rules.RULES_VERSION,
            "csrf_token": _CSRF,
            "show_this_to": _SHOW_THIS_TO,
            "send_offer": _SEND_OFFER,
            "print_host": _HOST,
            "print_date": _DATE,
        }
        return render_to_string("screener/result.html", context, request=request)

    return render_page


@screener_page
@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    """The answers go, and the session's key and addresses change; a referral
    code stays."""
    session = request.session
    kept = {name: session[name] for name in KEPT_ON_START_AGAIN if name in session}
    session.clear()
    session.update(kept)
    _begin_journey(request, {})
    return redirect(question_url(request, rules.QUESTIONS[0]))


@screener_page
@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    """The result page's "Clear my answers": everything in the session goes, at once."""
    request.session.flush()
    return redirect("screener:cleared")


@screener_page
@require_safe
def cleared(request: HttpRequest) -> HttpResponse:
    return render(request, "screener/cleared.html", {"begin_url": reverse("screener:begin")})


@screener_page
@require_safe
def expired(request: HttpRequest) -> HttpResponse:
    return render(request, "screener/expired.html", {"begin_url": reverse("screener:begin")})
