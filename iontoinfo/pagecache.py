"""Content pages kept whole in the shared cache, already compressed.

A content view marks a complete page as cacheable (`cache_whole`). On the way
out this middleware compresses it once with Brotli and gzip and keeps the
three bodies (and the headers every page carries) in the cache, under the
build's fingerprint, the host and the path. Later requests for the page are
answered here, right after WhiteNoise, without the view, the rest of the
middleware or any compression. A page rendered without its rating form
(the database was down) is not marked, so it is never kept.

Nothing of the screener passes here: only responses a content view marked,
which are public and carry no cookie. Those pages live at known addresses
(KEPT_PATHS), so others (the screener's steps, the clinics' pages) are not
even looked up: with Redis that is a round trip saved on every one of them.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from time import monotonic

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

Handler = Callable[[HttpRequest], HttpResponse]

_accepts_br = _lazy_re_compile(r"\bbr\b")
_accepts_gzip = _lazy_re_compile(r"\bgzip\b")
ENCODINGS = ("br", "gzip", "identity")
# Headers that belong to one response, not to the page.
_NOT_KEPT = {"content-length", "content-encoding", "set-cookie", "date"}


def cache_whole(response: HttpResponse) -> HttpResponse:
    """Mark a complete, public page for the page cache."""
    response.cache_whole = True
    return response


def _encoding(request: HttpRequest) -> str:
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if _accepts_br.search(accepted):
        return "br"
    if _accepts_gzip.search(accepted):
        return "gzip"
    return "identity"


def _key(request: HttpRequest, encoding: str) -> str:
    from iontoinfo.views import BUILD_VERSION

    place = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()[:24]
    return f"page:{BUILD_VERSION}:{place}:{encoding}"


def _compressed(body: bytes) -> dict[str, bytes]:
    bodies = {"identity": body}
    if len(body) >= 200:
        # Once per page and build, so the best compression is affordable.
        bodies["br"] = brotli.compress(body, quality=11)
        bodies["gzip"] = gzip.compress(body, compresslevel=9, mtime=0)
    return bodies


Entry = tuple[int, list[tuple[str, str]], bytes, str]


def _response(entry: Entry) -> HttpResponse:
    status, headers, body, encoding = entry
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    if encoding != "identity":
        response["Content-Encoding"] = encoding
        if (etag := response.get("ETag")) and etag.startswith('"'):
            response["ETag"] = "W/" + etag
    return response


# Where the pages that may be kept live: the content pages, /<language>/ and
# /<language>/<slug>/, and the section for healthcare professionals,
# /<language>/professionals/ and the pages under it.
KEPT_PATHS = _lazy_re_compile(r"/[a-z]{2}/(?:professionals/)?(?:[a-z0-9-]+/)?")


def may_be_kept(request: HttpRequest) -> bool:
    """Whether this request may be for a page the cache keeps."""
    return (
        request.method in {"GET", "HEAD"}
        and not request.META.get("QUERY_STRING")
        and KEPT_PATHS.fullmatch(request.path) is not None
    )


# With Redis, each process also keeps the pages it served in its own memory
# for LOCAL_SECONDS: a hit then costs no round trip to Redis. Pages of a new
# build have new keys, so this never serves an old build either.
LOCAL_SECONDS = 30.0
LOCAL_MAX = 500


class PageCacheMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.local: dict[str, tuple[float, Entry]] | None = {} if settings.REDIS_URL else None

    def _get(self, key: str) -> Entry | None:
        if self.local is not None and (kept := self.local.get(key)) and kept[0] > monotonic():
            return kept[1]
        entry = cache.get(key)
        if entry is not None and self.local is not None:
            if len(self.local) >= LOCAL_MAX:
                self.local.clear()
            self.local[key] = (monotonic() + LOCAL_SECONDS, entry)
        return entry

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_be_kept(request):
            return self.get_response(request)
        encoding = _encoding(request)
        try:
            key = _key(request, encoding)
        except Exception:  # a host not allowed: Django answers that below
            return self.get_response(request)
        entry = self._get(key)
        if entry is not None:
            return _response(entry)
        response = self.get_response(request)
        if getattr(response, "cache_whole", False) and response.status_code == 200:
            patch_vary_headers(response, ("Accept-Encoding",))
            headers = [
                (name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT
            ]
            bodies = _compressed(response.content)
            entries = {}
            for kind in ENCODINGS:
                used = kind if kind in bodies else "identity"
                entries[_key(request, kind)] = (200, headers, bodies[used], used)
            cache.set_many(entries, settings.CONTENT_MAX_AGE)
            return _response(entries[_key(request, encoding)])
        return response
