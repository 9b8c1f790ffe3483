from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from submissions import crypto
from submissions.models import Submission


class Command(BaseCommand):
    help = (
        "Encrypt every stored submission again with the first key of SUBMISSIONS_KEYS. "
        "Run it after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        with transaction.atomic():
            for submission in Submission.objects.select_for_update().only("pk", "payload"):
                Submission.objects.filter(pk=submission.pk).update(
                    payload=crypto.rotate(submission.payload)
                )
                count += 1
        self.stdout.write(f"Encrypted {count} submission(s) again with the first key.")
