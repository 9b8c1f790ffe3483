"""The clinic's inbox and audit log, at /<language>/clinics/<code>/inbox/ and
/<language>/clinics/<code>/audit/. A submission's address holds its
reference, never anything about the person."""

from __future__ import annotations

from django.urls import path, register_converter

import clinics.urls  # noqa: F401  (registers the "clinic" converter)
from clinics.models import CODE_ALPHABET
from submissions import inbox


class ReferenceConverter:
    regex = f"ITO-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")

app_name = "inbox"

urlpatterns = [
    path("<clinic:code>/inbox/", inbox.inbox, name="inbox"),
    path("<clinic:code>/inbox/<reference:reference>/", inbox.detail, name="detail"),
    path("<clinic:code>/inbox/<reference:reference>/print/", inbox.print_page, name="print"),
    path("<clinic:code>/inbox/<reference:reference>/fhir.json", inbox.fhir, name="fhir"),
    path("<clinic:code>/inbox/<reference:reference>/reviewed/", inbox.review, name="review"),
    path("<clinic:code>/inbox/<reference:reference>/delete/", inbox.delete, name="delete"),
    path("<clinic:code>/audit/", inbox.audit_log, name="audit"),
]
