from __future__ import annotations

from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    name = "professionals"
    verbose_name = "For healthcare professionals"
