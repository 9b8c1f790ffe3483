"""Answers a patient chose to send to a clinic, and the audit log of what
happened to them.

The answers, the flags and the person's name, date of birth and patient
number are one encrypted payload (`submissions.crypto`): the database holds
the clinic, a reference code and dates in clear, nothing else. Deletion is
for real (no soft delete), on withdrawal or after CLINIC_RETENTION_DAYS."""

from __future__ import annotations

import datetime
import re
import secrets
from functools import cached_property

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import CODE_ALPHABET, Clinic
from submissions import crypto

# The reference a patient reads out on the phone: ITO-XXXX-XXXX, from the
# clinics' alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B ...):
# 19^8, about 1.7e10 references.
REFERENCE_PREFIX = "ITO"
REFERENCE_ALPHABET = CODE_ALPHABET
REFERENCE_RE = re.compile(rf"^{REFERENCE_PREFIX}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


def new_reference() -> str:
    draw = "".join(secrets.choice(REFERENCE_ALPHABET) for _n in range(8))
    return f"{REFERENCE_PREFIX}-{draw[:4]}-{draw[4:]}"


def normalise_reference(typed: str) -> str | None:
    """A reference as typed (any case, spaces, dashes, with or without ITO)
    in its written form, or None when it cannot be one."""
    letters = re.sub(r"[^0-9A-Za-z]", "", typed or "").upper()
    if letters.startswith(REFERENCE_PREFIX) and len(letters) == len(REFERENCE_PREFIX) + 8:
        letters = letters[len(REFERENCE_PREFIX) :]
    reference = f"{REFERENCE_PREFIX}-{letters[:4]}-{letters[4:]}"
    return reference if len(letters) == 8 and REFERENCE_RE.match(reference) else None


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CLINIC_RETENTION_DAYS)


def deletion_date(sent_at: datetime.datetime | None = None) -> datetime.datetime:
    return (sent_at or timezone.now()) + retention()


class Submission(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="submissions")
    reference = models.CharField(max_length=13, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delete_after = models.DateTimeField(db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Encrypted JSON: name, birth_date, patient_number, answers, flags,
    # rules_version, language. Never read it directly: use `details`.
    payload = models.TextField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference__regex=REFERENCE_RE.pattern),
                name="submission_reference_form",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def send(cls, clinic: Clinic, details: dict) -> Submission:
        """Store one submission, encrypted; a new reference if one clashes."""
        now = timezone.now()
        payload = crypto.encrypt(details)
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        clinic=clinic,
                        reference=new_reference(),
                        created_at=now,
                        delete_after=deletion_date(now),
                        payload=payload,
                    )
            except IntegrityError:
                continue
        raise IntegrityError("no free reference")

    @cached_property
    def details(self) -> dict:
        return crypto.decrypt(self.payload)

    @property
    def birth_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.details["birth_date"])


class Action(models.TextChoices):
    RECEIVED = "received", _("Sent by the patient")
    VIEWED = "viewed", _("Viewed")
    PRINTED = "printed", _("Printed")
    DOWNLOADED = "downloaded", _("Downloaded as FHIR")
    REVIEWED = "reviewed", _("Marked as reviewed")
    WITHDRAWN = "withdrawn", _("Deleted by the patient")
    DELETED = "deleted", _("Deleted by the clinic")
    EXPIRED = "expired", _("Deleted at the end of the retention period")


class AuditEntry(models.Model):
    """Who did what to which submission, and when. Never the answers or the
    person's details: the reference only. Kept SUBMISSIONS_AUDIT_DAYS."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="audit_entries")
    reference = models.CharField(max_length=13, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    # The clinician's email address; empty for the patient and for the site itself.
    actor = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reference} {self.action}"
