from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from submissions.retention import purge


class Command(BaseCommand):
    help = (
        "Delete the submissions sent more than CLINIC_RETENTION_DAYS ago and the audit "
        "entries older than a year. Safe to run as often as you like (for example hourly)."
    )

    def handle(self, *args: object, **options: object) -> None:
        purged = purge()
        self.stdout.write(
            f"Deleted {purged.submissions} submission(s) older than "
            f"{settings.CLINIC_RETENTION_DAYS} days and {purged.audit_entries} audit "
            f"entr{'y' if purged.audit_entries == 1 else 'ies'} older than "
            f"{settings.SUBMISSIONS_AUDIT_DAYS} days."
        )
