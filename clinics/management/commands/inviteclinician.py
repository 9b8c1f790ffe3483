from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from clinics import accounts
from clinics.models import Clinic, Role, normalise_code


class Command(BaseCommand):
    help = (
        "Invite a clinician to a clinic: prints a one-time invitation link, valid for "
        f"{settings.CLINIC_INVITATION_HOURS} hours, and emails it when EMAIL_HOST is set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="The clinic's code, as createclinic printed it")
        parser.add_argument("email", help="The clinician's email address")
        parser.add_argument(
            "--admin", action="store_true", help="A clinic admin, who can invite and remove"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the link and the email (default: %(default)s)",
        )

    def handle(
        self, *args: object, code: str, email: str, admin: bool, language: str, **options: object
    ):
        clinic = Clinic.objects.active().filter(code=normalise_code(code)).first()
        if clinic is None:
            raise CommandError(f"No clinic in use has the code {code!r}.")
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        role = Role.ADMIN if admin else Role.CLINICIAN
        try:
            invitation, link, emailed = accounts.invite(clinic, email, role, language=language)
        except (accounts.AccountError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Invitation for {invitation.email} ({invitation.get_role_display()}) "
            f"to {clinic.name}, valid until {invitation.expires_at:%Y-%m-%d %H:%M %Z}:"
        )
        self.stdout.write(link)
        if emailed:
            self.stdout.write(f"Sent by email to {invitation.email}.")
        elif settings.EMAIL_CONFIGURED:
            self.stdout.write("The email could not be sent: pass the link on yourself.")
        else:
            self.stdout.write("No email is configured (EMAIL_HOST): pass the link on yourself.")
