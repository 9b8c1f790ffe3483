"""What the screener tells the rest of the site about a journey, with the
request and nothing of the answers. The clinics app counts these per clinic."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once per journey, when its first answer is saved.
journey_started = Signal()
# Sent once per journey, when its result is first shown.
journey_finished = Signal()
