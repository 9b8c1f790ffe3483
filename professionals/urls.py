"""The section for healthcare professionals: the screener's rules in the open,
on paper and as HL7 FHIR. Mounted at /<language>/professionals/."""

from __future__ import annotations

app_name = "professionals"

urlpatterns: list = []
