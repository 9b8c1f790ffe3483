"""The site's own address, for links that leave the screen: QR codes, printed
handouts, invitation emails and the FHIR resources' canonical URLs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def site_origin(request: HttpRequest | None = None) -> str:
    """IONTOINFO_CANONICAL_URL when set, otherwise the scheme and host the
    request came to. Outside a request (a management command) it must be set."""
    if settings.IONTOINFO_CANONICAL_URL:
        return settings.IONTOINFO_CANONICAL_URL
    if request is None:
        raise ImproperlyConfigured(
            "Set IONTOINFO_CANONICAL_URL (for example https://iontoinfo.example) "
            "to make links outside a request"
        )
    return f"{request.scheme}://{request.get_host()}"
