"""The clinic's inbox: the answers its patients chose to send, for the
clinic's signed-in clinicians only (password and second factor, through
clinics' `clinic_page`: anyone of another clinic gets 404).

Every page sends `Cache-Control: no-store`. Search is a POST, so that a name
typed into it never lands in an address, a log or the browser's history.
Viewing, printing, downloading, reviewing and deleting are written to the
audit log. A clinician who has copied what they need into the patient's
records deletes the answers at once, without waiting for the end of the
retention period."""

from __future__ import annotations

import json
from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clinics.models import Clinician
from clinics.views import clinic_page
from iontoinfo.origin import site_origin
from professionals.fhir import questionnaire_response, validate
from submissions import audit, crypto
from submissions.forms import SearchForm
from submissions.models import Action, AuditEntry, Submission, normalise_reference
from submissions.retention import purge
from submissions.summary import answers_of, flag_counts, summary

AUDIT_SHOWN = 500
# The reference just deleted, for the inbox to say so once.
DELETED_KEY = "inbox_deleted"


def _current(clinician: Clinician):
    return Submission.objects.filter(clinic=clinician.clinic, delete_after__gt=timezone.now())


def _row(submission: Submission) -> dict[str, object]:
    try:
        details = submission.details
    except crypto.InvalidToken:
        details = None
    return {
        "submission": submission,
        "readable": details is not None,
        "name": details["name"] if details else "",
        "birth_date": submission.birth_date if details else None,
        "counts": flag_counts(details) if details else {},
    }


def _matches(row: dict[str, object], query: str) -> bool:
    reference = normalise_reference(query)
    if reference is not None:
        return row["submission"].reference == reference
    words = query.casefold().split()
    name = str(row["name"]).casefold()
    return bool(words) and all(word in name for word in words)


@clinic_page()
@sensitive_post_parameters()
@sensitive_variables("rows", "form")
@require_http_methods(["GET", "HEAD", "POST"])
def inbox(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    purge()
    # The clinic's own set is small (kept CLINIC_RETENTION_DAYS): decrypted in memory.
    rows = [_row(submission) for submission in _current(clinician)]
    total = len(rows)
    status = HTTPStatus.OK
    query = ""
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            if query:
                rows = [row for row in rows if _matches(row, query)]
        else:
            status = HTTPStatus.BAD_REQUEST
    else:
        form = SearchForm()
    deleted = request.session.pop(DELETED_KEY, None) if request.method == "GET" else None
    return render(
        request,
        "submissions/inbox.html",
        {
            "clinic": clinician.clinic,
            "clinician": clinician,
            "deleted": deleted if isinstance(deleted, str) else None,
            "rows": rows,
            "total": total,
            "query": query,
            "form": form,
            "days": settings.CLINIC_RETENTION_DAYS,
        },
        status=status,
    )


def _submission(clinician: Clinician, reference: str) -> Submission:
    submission = _current(clinician).filter(reference=reference).first()
    if submission is None:
        raise Http404("No such submission")
    try:
        submission.details  # noqa: B018 (decrypts, or fails here)
    except crypto.InvalidToken as error:
        raise Http404("No key reads this submission") from error
    return submission


def _detail_context(submission: Submission, clinician: Clinician) -> dict[str, object]:
    details = submission.details
    return {
        "clinic": clinician.clinic,
        "clinician": clinician,
        "submission": submission,
        "details": details,
        "birth_date": submission.birth_date,
        "counts": flag_counts(details),
        **summary(details),
    }


@clinic_page()
@require_safe
def detail(request: HttpRequest, clinician: Clinician, reference: str) -> HttpResponse:
    submission = _submission(clinician, reference)
    audit.record(submission, Action.VIEWED, request)
    return render(request, "submissions/detail.html", _detail_context(submission, clinician))


@clinic_page()
@require_safe
def print_page(request: HttpRequest, clinician: Clinician, reference: str) -> HttpResponse:
    submission = _submission(clinician, reference)
    audit.record(submission, Action.PRINTED, request)
    return render(request, "submissions/print.html", _detail_context(submission, clinician))


def fhir_resource(submission: Submission, origin: str) -> dict:
    """The answers as a FHIR R4 QuestionnaireResponse, with the person as a
    contained Patient (name and birth date only)."""
    details = submission.details
    response = questionnaire_response(answers_of(details), origin, authored=submission.created_at)
    patient = {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"text": details["name"]}],
        "birthDate": details["birth_date"],
    }
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": submission.reference,
        "contained": [patient],
        "identifier": {
            "system": f"{origin}/fhir/submission-reference",
            "value": submission.reference,
        },
        **{k: v for k, v in response.items() if k != "resourceType"},
        "subject": {"reference": "#patient"},
    }
    validate(resource)
    return resource


@clinic_page()
@require_safe
def fhir(request: HttpRequest, clinician: Clinician, reference: str) -> HttpResponse:
    submission = _submission(clinician, reference)
    body = json.dumps(fhir_resource(submission, site_origin(request)), ensure_ascii=False, indent=2)
    audit.record(submission, Action.DOWNLOADED, request)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{submission.reference}.json"'
    return response


@clinic_page()
@require_POST
def review(request: HttpRequest, clinician: Clinician, reference: str) -> HttpResponse:
    submission = _submission(clinician, reference)
    if submission.reviewed_at is None:
        Submission.objects.filter(pk=submission.pk).update(reviewed_at=timezone.now())
        audit.record(submission, Action.REVIEWED, request)
    return redirect("inbox:detail", code=clinician.clinic.code, reference=reference)


@clinic_page()
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, clinician: Clinician, reference: str) -> HttpResponse:
    """A page asking to be sure, then the answers deleted for real, as
    withdrawing and the end of the retention period delete them."""
    submission = _submission(clinician, reference)
    if request.method == "POST":
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).delete()
            audit.record(submission, Action.DELETED, request)
        request.session[DELETED_KEY] = submission.reference
        return redirect("inbox:inbox", code=clinician.clinic.code)
    return render(
        request,
        "submissions/delete.html",
        {"clinic": clinician.clinic, "clinician": clinician, "submission": submission},
    )


@clinic_page(admin=True)
@require_safe
def audit_log(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    entries = AuditEntry.objects.filter(clinic=clinician.clinic)
    return render(
        request,
        "submissions/audit.html",
        {
            "clinic": clinician.clinic,
            "entries": entries[:AUDIT_SHOWN],
            "total": entries.count(),
            "shown": AUDIT_SHOWN,
            "days": settings.SUBMISSIONS_AUDIT_DAYS,
        },
    )
