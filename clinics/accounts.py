"""Clinic accounts: invitations, enrolment of the second factor, removal.

An invited person's account stays inactive (it cannot sign in) until they
have set a password and confirmed an authenticator app; only then is the
invitation used up."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.models import Clinic, Clinician, Invitation
from iontoinfo.origin import site_origin

RECOVERY_CODE_COUNT = 10
logger = logging.getLogger(__name__)


class AccountError(Exception):
    """Something the person inviting or accepting must be told, in plain words."""


def invitation_path(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("clinics:invitation", args=[token])


def site_language(language: str | None = None) -> str:
    """One of the site's languages: the one asked for, else the one being
    used (the person inviting reads the site in it), else the default."""
    for candidate in (language, translation.get_language()):
        try:
            return translation.get_supported_language_variant(candidate or "")
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def site_url() -> str:
    return site_origin()


def invite(
    clinic: Clinic,
    email: str,
    role: str,
    invited_by: object | None = None,
    base_url: str = "",
    language: str | None = None,
) -> tuple[Invitation, str, bool]:
    """A new invitation, its full link, and whether it was emailed (only when
    email is configured, and the mail server took it). The link and the email
    are in `language`: by default the one the person inviting is using."""
    email = email.strip().lower()
    language = site_language(language)
    if clinic.retired_at is not None:
        raise AccountError(_("This clinic is retired."))
    if get_user_model().objects.filter(username=email, is_active=True).exists():
        raise AccountError(_("This person already has an account."))
    with transaction.atomic():
        # A new invitation replaces any open one for the same person.
        clinic.invitations.filter(email=email, accepted_at__isnull=True).delete()
        invitation, token = Invitation.issue(clinic, email, role, invited_by=invited_by)
    link = (base_url or site_url()) + invitation_path(token, language)
    emailed = False
    if settings.EMAIL_CONFIGURED:
        try:
            with translation.override(language):
                send_invitation(invitation, link)
        except (smtplib.SMTPException, OSError):
            # The link is still shown to whoever invited, to pass on by hand.
            logger.warning("Could not email an invitation to clinic %s", clinic.code)
        else:
            emailed = True
    return invitation, link, emailed


def send_invitation(invitation: Invitation, link: str) -> None:
    subject = _("You are invited to %(clinic)s on iontoinfo") % {"clinic": invitation.clinic.name}
    body = _(
        "You have been invited to join %(clinic)s on iontoinfo, to see your clinic's "
        "link and QR code for the iontophoresis safety check.\n\n"
        "Open this link to set your password and your authenticator app:\n%(link)s\n\n"
        "The link works once and for %(hours)s hours. If you did not expect it, "
        "you can ignore this email."
    ) % {
        "clinic": invitation.clinic.name,
        "link": link,
        "hours": settings.CLINIC_INVITATION_HOURS,
    }
    send_mail(subject, body, None, [invitation.email])


def check_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise AccountError("used")
    if invitation.expired or invitation.clinic.retired_at is not None:
        raise AccountError("expired")


@transaction.atomic
def start_enrolment(invitation: Invitation, password: str) -> tuple[object, TOTPDevice]:
    """An inactive account with this password and a new, unconfirmed
    authenticator key. Opening the invitation again starts afresh."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_open(invitation)
    User = get_user_model()
    user = User.objects.filter(username=invitation.email).first()
    if user is not None and user.is_active:
        raise AccountError("used")
    if user is None:
        user = User(username=invitation.email, email=invitation.email, is_active=False)
    user.set_password(password)
    user.save()
    Clinician.objects.update_or_create(
        user=user, defaults={"clinic": invitation.clinic, "role": invitation.role}
    )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return user, device


@transaction.atomic
def finish_enrolment(invitation: Invitation, device: TOTPDevice) -> list[str]:
    """Confirm the app, make the account usable, use up the invitation, and
    return the recovery codes (shown once, stored only as they are used)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_open(invitation)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user = device.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def remove(clinician: Clinician) -> None:
    """Delete the person's account: their devices go with it, and any session
    they still have no longer belongs to anyone."""
    clinician.user.delete()


def recovery_codes_left(user: object) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
