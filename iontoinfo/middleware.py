"""Small response middleware: compression of pages and the Permissions-Policy header."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import brotli
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

Handler = Callable[[HttpRequest], HttpResponse]

_accepts_br = _lazy_re_compile(r"\bbr\b")
_accepts_gzip = _lazy_re_compile(r"\bgzip\b")
COMPRESSIBLE = (
    "text/",
    "application/xml",
    "application/json",
    "application/fhir+json",
    "image/svg+xml",
)


class CompressionMiddleware:
    """Brotli (or gzip) for pages the app renders; WhiteNoise serves static files
    already compressed. Brotli is level 5: nearly the size of level 11 at a
    fraction of the time, which matters on every uncached page."""

    min_length = 200

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or len(response.content) < self.min_length
            or not response.get("Content-Type", "").startswith(COMPRESSIBLE)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if _accepts_br.search(accepted):
            body, encoding = brotli.compress(response.content, quality=5), "br"
        elif _accepts_gzip.search(accepted):
            body, encoding = gzip.compress(response.content, compresslevel=6, mtime=0), "gzip"
        else:
            return response
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = encoding
        if (etag := response.get("ETag")) and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a response marked public never sets or deletes the
    session cookie: a shared cache could hand that header to someone else."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if "public" in response.get("Cache-Control", ""):
            return response
        return super().process_response(request, response)
