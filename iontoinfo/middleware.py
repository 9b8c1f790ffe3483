"""Small middleware: compression of pages, the Content-Security-Policy and
Permissions-Policy headers, and the session cookie's rules."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

import brotli
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from iontoinfo.resilience import service_unavailable

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
    already compressed, and the page cache keeps its pages compressed at the
    highest level. What comes here is compressed on every request (screener
    pages, which are never kept), so Brotli is level 1. Measured in the
    request, on the 19 KB result page: 93 us against 173 us at level 3, for
    5.5 KB sent instead of 4.9 KB; on a 5 KB question page 46 us against
    74 us, for 1.7 KB instead of 1.6 KB."""

    min_length = 200

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or getattr(response, "cache_whole", False)  # compressed once, by the page cache
            or response.has_header("Content-Encoding")
            or len(response.content) < self.min_length
            or not response.get("Content-Type", "").startswith(COMPRESSIBLE)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if _accepts_br.search(accepted):
            body, encoding = brotli.compress(response.content, quality=1), "br"
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


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's, with the site's policy built once, not on every response:
    no page here has a nonce or a policy of its own (no inline scripts or
    styles). A response that does (django-csp's decorators, a template asking
    for a nonce), excluded addresses and debug pages get django-csp's own
    treatment."""

    _OWN_POLICY = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response: Handler) -> None:
        super().__init__(get_response)
        excluded = any(
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        self.policy = (
            None
            if excluded or settings.DEBUG
            else (
                build_policy(),
                build_policy(report_only=True),
            )
        )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            self.policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._OWN_POLICY)
        ):
            return super().process_response(request, response)
        for header, policy in zip((HEADER, HEADER_REPORT_ONLY), self.policy, strict=True):
            if policy and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written fails.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Django's database and cache session backends make keys of 32 lower-case
# letters and digits (SessionBase._get_new_session_key).
WELL_FORMED_SESSION_KEY = re.compile(r"[a-z0-9]{32}")


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with two changes. A cookie that is not a well-formed session
    key is no session at all: it never reaches the database, where a NUL in it
    makes PostgreSQL fail. And a response marked public never sets or deletes
    the session cookie: a shared cache could hand that header to someone else."""

    def process_request(self, request: HttpRequest) -> None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not WELL_FORMED_SESSION_KEY.fullmatch(key):
            key = None
        request.session = self.SessionStore(key)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if "public" in response.get("Cache-Control", ""):
            return response
        try:
            return super().process_response(request, response)
        except (DatabaseError, SessionInterrupted) as error:
            if not _database_unreachable(error):
                raise  # a session deleted meanwhile: Django's own 400
            # The session could not be saved: say so (503), never a 500. A
            # view can leave a better page, such as the question again with
            # the person's choice selected.
            unsaved = getattr(request, "on_session_unsaved", None)
            return unsaved() if unsaved else service_unavailable(request)


def _database_unreachable(error: BaseException | None) -> bool:
    """Whether the database could not be reached (Django's session backend
    reports that as "session interrupted", wrapping the real error)."""
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False
