"""Counts of screeners started and finished through a clinic's link.

The screener sends a signal with the request; the referral is the clinic's
code alone, kept in the patient's session by the referral address."""

from __future__ import annotations

from django.http import HttpRequest

from clinics.models import Clinic, WeeklyCount

REFERRAL_KEY = "referral"


def referred_clinic(request: HttpRequest) -> Clinic | None:
    """The active clinic whose link brought this person, if any."""
    session = getattr(request, "session", None)
    code = session.get(REFERRAL_KEY) if session is not None else None
    if not isinstance(code, str):
        return None
    return Clinic.objects.active().filter(code=code).first()


def count_started(sender: object, request: HttpRequest, **kwargs: object) -> None:
    if clinic := referred_clinic(request):
        WeeklyCount.add(clinic, "started")


def count_finished(sender: object, request: HttpRequest, **kwargs: object) -> None:
    if clinic := referred_clinic(request):
        WeeklyCount.add(clinic, "finished")
