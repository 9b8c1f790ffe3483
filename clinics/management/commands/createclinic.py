from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from clinics.models import Clinic


class Command(BaseCommand):
    help = (
        "Create a clinic and print its code "
        "(and its referral link when IONTOINFO_CANONICAL_URL is set)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "name", help='The clinic\'s name as patients know it, e.g. "Leeds Skin Clinic"'
        )

    def handle(self, *args: object, name: str, **options: object) -> None:
        name = " ".join(name.split())
        if not name or len(name) > Clinic._meta.get_field("name").max_length:
            raise CommandError("Give the clinic a name of 1 to 120 characters.")
        clinic = Clinic.create_with_code(name)
        self.stdout.write(f"Created {clinic.name}. Code: {clinic.code}")
        if settings.IONTOINFO_CANONICAL_URL:
            with translation.override(settings.LANGUAGE_CODE):
                link = settings.IONTOINFO_CANONICAL_URL + reverse(
                    "clinic_referral", args=[clinic.code]
                )
            self.stdout.write(f"Referral link: {link}")
        self.stdout.write(
            "Invite its first clinic admin: "
            f"manage.py inviteclinician {clinic.code} <email> --admin"
        )
