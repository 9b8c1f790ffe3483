"""The patient's pages: sending the answers to a clinic, by choice, and
withdrawing them.

Answers travel only in the session and in POST bodies; addresses carry
nothing about the person. Every page sends `Cache-Control: no-store` and hides
its POST data from error reports. Nothing is stored unless the whole form is
valid, consent included."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe

from clinics.counting import referred_clinic
from clinics.models import Clinic
from screener import rules
from screener.views import _answers, _state
from submissions import audit
from submissions.forms import ClinicCodeForm, SendForm, WithdrawForm
from submissions.limits import over_limit
from submissions.models import Action, Submission, deletion_date
from submissions.retention import purge
from submissions.summary import details_to_send

View = Callable[..., HttpResponse]

SEND_TO_KEY = "send_to"  # a clinic's code, typed on the clinic-code page
SENT_KEY = "submission_sent"  # the reference just made, for the confirmation


def patient_page(view: View) -> View:
    @never_cache
    @sensitive_post_parameters()
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapper


def finished_answers(request: HttpRequest) -> rules.Answers | None:
    """The answers of a screener that reached its result, else None."""
    answers = _answers(request)
    if answers and rules.is_complete(answers) and _state(request).get("submitted"):
        return answers
    return None


def chosen_clinic(request: HttpRequest) -> Clinic | None:
    code = request.session.get(SEND_TO_KEY)
    if isinstance(code, str):
        clinic = Clinic.objects.active().filter(code=code).first()
        if clinic is not None:
            return clinic
    return referred_clinic(request)


def _fingerprint(answers: rules.Answers, clinic: Clinic) -> str:
    """Which answers went to which clinic, as a keyed hash: the session keeps
    it to spot a second click, and it reveals nothing of the answers."""
    kept = rules.relevant(answers)
    plain = json.dumps(
        {
            "clinic": clinic.code,
            "answers": {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(kept.items())},
        },
        sort_keys=True,
    )
    return salted_hmac("submissions.sent", plain, algorithm="sha256").hexdigest()


def _already_sent(request: HttpRequest, fingerprint: str) -> bool:
    made = request.session.get(SENT_KEY)
    return (
        isinstance(made, dict)
        and constant_time_compare(str(made.get("fingerprint", "")), fingerprint)
        and Submission.objects.filter(
            reference=made.get("reference", ""), delete_after__gt=timezone.now()
        ).exists()
    )


def _no_answers(request: HttpRequest) -> HttpResponse:
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return render(request, "submissions/no_answers.html", status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/too_many.html", status=HTTPStatus.TOO_MANY_REQUESTS)


@patient_page
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("answers", "form", "details")
def send(request: HttpRequest) -> HttpResponse:
    purge()
    answers = finished_answers(request)
    if answers is None:
        return _no_answers(request)
    clinic = chosen_clinic(request)
    if clinic is None:
        return redirect("submissions:choose_clinic")
    fingerprint = _fingerprint(answers, clinic)
    if _already_sent(request, fingerprint):
        # The same answers to the same clinic, sent from this session and
        # still kept (a second click, or Back): no second copy.
        return redirect("submissions:sent")
    status = HTTPStatus.OK
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            details = details_to_send(
                answers,
                name=form.cleaned_data["full_name"],
                birth_date=form.cleaned_data["birth_date"],
                patient_number=form.cleaned_data["patient_number"],
                language=translation.get_language(),
                consent=str(form.fields["consent"].label),
            )
            with transaction.atomic():
                submission = Submission.send(clinic, details)
                audit.record(submission, Action.RECEIVED)
            request.session[SENT_KEY] = {
                "reference": submission.reference,
                "delete_after": submission.delete_after.isoformat(),
                "clinic": clinic.name,
                "fingerprint": fingerprint,
            }
            return redirect("submissions:sent")
        status = HTTPStatus.BAD_REQUEST
    else:
        form = SendForm()
    return render(
        request,
        "submissions/send.html",
        {
            "form": form,
            "clinic": clinic,
            "delete_on": timezone.localtime(deletion_date()).date(),
            "days": settings.CLINIC_RETENTION_DAYS,
            "can_change_clinic": request.session.get(SEND_TO_KEY) is not None
            or referred_clinic(request) is None,
        },
        status=status,
    )


@patient_page
@require_http_methods(["GET", "HEAD", "POST"])
def choose_clinic(request: HttpRequest) -> HttpResponse:
    if finished_answers(request) is None:
        return _no_answers(request)
    status = HTTPStatus.OK
    if request.method == "POST":
        if over_limit(request, "clinic"):
            return _too_many(request)
        form = ClinicCodeForm(request.POST)
        if form.is_valid():
            clinic = Clinic.objects.active().filter(code=form.cleaned_data["code"]).first()
            if clinic is not None:
                request.session[SEND_TO_KEY] = clinic.code
                return redirect("submissions:send")
            form.add_error(
                "code",
                _("We cannot find a clinic with this code. Check the code with your clinic."),
            )
        status = HTTPStatus.BAD_REQUEST
    else:
        form = ClinicCodeForm()
    return render(request, "submissions/choose_clinic.html", {"form": form}, status=status)


@patient_page
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    made = request.session.get(SENT_KEY)
    try:
        delete_after = datetime.datetime.fromisoformat(made["delete_after"])
    except (TypeError, KeyError, ValueError):
        return redirect("screener:start")
    return render(
        request,
        "submissions/sent.html",
        {
            "reference": made.get("reference", ""),
            "clinic_name": made.get("clinic", ""),
            "delete_on": timezone.localtime(delete_after).date(),
        },
    )


@patient_page
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables("form", "submission")
def withdraw(request: HttpRequest) -> HttpResponse:
    purge()
    status = HTTPStatus.OK
    if request.method == "POST":
        if over_limit(request, "withdraw"):
            return _too_many(request)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            submission = Submission.objects.filter(reference=form.cleaned_data["reference"]).first()
            born = form.cleaned_data["birth_date"].isoformat()
            # The same answer whether the reference is unknown or the date wrong.
            if submission is not None and constant_time_compare(
                submission.details.get("birth_date", ""), born
            ):
                with transaction.atomic():
                    audit.record(submission, Action.WITHDRAWN)
                    submission.delete()
                return redirect("submissions:withdrawn")
            form.add_error(None, _not_found_message())
        status = HTTPStatus.BAD_REQUEST
    else:
        form = WithdrawForm()
    return render(
        request,
        "submissions/withdraw.html",
        {"form": form, "not_found": bool(form.non_field_errors())},
        status=status,
    )


def _not_found_message() -> str:
    return _(
        "We could not find answers with this reference and date of birth. Check both and "
        "try again. If your answers were sent more than %(days)s days ago, they have "
        "already been deleted."
    ) % {"days": settings.CLINIC_RETENTION_DAYS}


@patient_page
@require_safe
def withdrawn(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/withdrawn.html")
