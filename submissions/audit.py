"""Writing the audit log. An entry names the clinic, the reference, the action,
the person and the time: never the answers, the name or the date of birth."""

from __future__ import annotations

from django.http import HttpRequest

from submissions.models import Action, AuditEntry, Submission


def record(submission: Submission, action: Action, request: HttpRequest | None = None) -> None:
    user = getattr(request, "user", None) if request is not None else None
    actor = user.email if user is not None and user.is_authenticated else ""
    AuditEntry.objects.create(
        clinic_id=submission.clinic_id,
        reference=submission.reference,
        action=action,
        actor=actor,
    )
