from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Answers sent to clinics")

    def ready(self) -> None:
        from screener.signals import journey_finished
        from submissions.retention import purge_now_and_then

        # Patients finishing the screener keep the retention promise too,
        # when no clinic opens its inbox and no scheduler runs.
        journey_finished.connect(purge_now_and_then, dispatch_uid="submissions-purge")
