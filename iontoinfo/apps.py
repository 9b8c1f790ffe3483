from __future__ import annotations

from django.apps import AppConfig


class IontoinfoConfig(AppConfig):
    name = "iontoinfo"
    verbose_name = "iontoinfo"

    def ready(self) -> None:
        # Load and check every content file now, so that a broken page stops
        # the site (and `manage.py check`) instead of failing a patient's request.
        from iontoinfo import pages

        pages.library()
