from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clinics.models import Clinic, normalise_code


class Command(BaseCommand):
    help = (
        "Retire a clinic: its link then sends patients to the ordinary screener, and "
        "its clinicians can no longer sign in to its pages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="The clinic's code")

    def handle(self, *args: object, code: str, **options: object) -> None:
        updated = (
            Clinic.objects.active()
            .filter(code=normalise_code(code))
            .update(retired_at=timezone.now())
        )
        if not updated:
            raise CommandError(f"No clinic in use has the code {code!r}.")
        self.stdout.write(f"Retired the clinic with the code {normalise_code(code)}.")
