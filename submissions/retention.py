"""Deleting what is no longer needed: submissions CLINIC_RETENTION_DAYS after
they were sent, audit entries after SUBMISSIONS_AUDIT_DAYS.

`purge()` runs from `manage.py purgesubmissions` (for a scheduler), on every
request to the inbox and the send and withdraw pages, and at most once an hour
per server process when a patient reaches a result, so the promise holds
without a scheduler. Each run is two indexed queries when nothing is due."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from submissions.models import Action, AuditEntry, Submission

PURGE_EVERY_SECONDS = 60 * 60
_last_run = {"at": float("-inf")}


@dataclass
class Purged:
    submissions: int
    audit_entries: int


def purge(now: datetime.datetime | None = None) -> Purged:
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Submission.objects.filter(delete_after__lte=now).values_list(
                "pk", "clinic_id", "reference"
            )
        )
        deleted = 0
        for pk, clinic, reference in due:
            # One by one: when two server processes purge at once, only the
            # one whose delete took the row records it.
            count, _by_model = Submission.objects.filter(pk=pk).delete()
            if count:
                deleted += 1
                AuditEntry.objects.create(
                    clinic_id=clinic, reference=reference, action=Action.EXPIRED, at=now
                )
        old = now - datetime.timedelta(days=settings.SUBMISSIONS_AUDIT_DAYS)
        entries, _by_model = AuditEntry.objects.filter(at__lte=old).delete()
    return Purged(deleted, entries)


def purge_now_and_then(*args: object, **kwargs: object) -> None:
    """`purge()`, at most once an hour in this process."""
    clock = time.monotonic()
    if clock - _last_run["at"] < PURGE_EVERY_SECONDS:
        return
    _last_run["at"] = clock
    purge()
