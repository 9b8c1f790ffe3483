"""Clinics, their clinicians, invitations, and the weekly counts of their
referral link. Counts are numbers only: nothing about a patient is kept."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Codes are read off posters and typed from letters: no 0/O/Q/D, 1/I/L, 2/Z,
# 5/S, 8/B, 6/G or U/V to mix up.
CODE_ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 7


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return code.strip().upper()


class ClinicQuerySet(models.QuerySet["Clinic"]):
    def active(self) -> ClinicQuerySet:
        return self.filter(retired_at__isnull=True)


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=8, unique=True, default=new_code)
    created_at = models.DateTimeField(default=timezone.now)
    # A retired clinic's link shows a page that sends patients to the ordinary screener.
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=rf"^[{CODE_ALPHABET}]{{6,8}}$"),
                name="clinic_code_from_the_alphabet",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def create_with_code(cls, name: str) -> Clinic:
        # A clash among 19^7 codes is unlikely but possible: draw again.
        while True:
            code = new_code()
            if not cls.objects.filter(code=code).exists():
                return cls.objects.create(name=name, code=code)


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    ADMIN = "admin", _("Clinic admin")


class Clinician(models.Model):
    """A person's place in one clinic. A user belongs to one clinic only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="clinicians")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLINICIAN)
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user.email} ({self.clinic.code})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link to join a clinic. Only the token's hash is kept, so the
    database alone cannot be used to join."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLINICIAN)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = InvitationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.email} to {self.clinic.code}"

    @classmethod
    def issue(
        cls, clinic: Clinic, email: str, role: str, invited_by: object | None = None
    ) -> tuple[Invitation, str]:
        """A new invitation and its token, which is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            clinic=clinic,
            email=email.strip().lower(),
            role=role,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + datetime.timedelta(hours=settings.CLINIC_INVITATION_HOURS),
            invited_by=invited_by,
        )
        return invitation, token

    @classmethod
    def for_token(cls, token: str) -> Invitation | None:
        return cls.objects.select_related("clinic").filter(token_hash=_hash(token)).first()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


def week_of(day: datetime.date) -> datetime.date:
    """The Monday that starts the ISO week of `day`."""
    return day - datetime.timedelta(days=day.weekday())


class WeeklyCount(models.Model):
    """How many screeners were started and finished through a clinic's link in
    one ISO week. Numbers only."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="weekly_counts")
    week = models.DateField(help_text="The Monday the ISO week starts on.")
    started = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "week"], name="one_count_per_clinic_week"),
        ]
        ordering = ["-week"]

    def __str__(self) -> str:
        return f"{self.clinic.code} {self.week}: {self.started}/{self.finished}"

    @classmethod
    def add(cls, clinic: Clinic, field: str) -> None:
        week = week_of(timezone.localdate())
        row, _ = cls.objects.get_or_create(clinic=clinic, week=week)
        # An UPDATE in the database, so two patients at once are both counted.
        cls.objects.filter(pk=row.pk).update(**{field: F(field) + 1})

    @property
    def iso_week(self) -> str:
        year, number, _ = self.week.isocalendar()
        return f"{year}-W{number:02d}"
