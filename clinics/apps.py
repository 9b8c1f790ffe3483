from __future__ import annotations

from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics"

    def ready(self) -> None:
        # Count screeners started and finished through a clinic's link.
        from clinics import counting
        from screener.signals import journey_finished, journey_started

        journey_started.connect(counting.count_started, dispatch_uid="clinics.count_started")
        journey_finished.connect(counting.count_finished, dispatch_uid="clinics.count_finished")
