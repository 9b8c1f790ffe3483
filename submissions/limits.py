"""A small limit on tries per address, counted in the cache, so that nobody
can probe which references exist or guess dates of birth. The cache key is a
keyed hash of the address: no address, reference or date is ever in it."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own proxy, the last address it added is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request: HttpRequest, scope: str) -> bool:
    """Count one try; True once this address has used up its tries this hour."""
    digest = salted_hmac("submissions.tries", client_address(request)).hexdigest()[:32]
    key = f"submissions:tries:{scope}:{digest}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > settings.SUBMISSIONS_TRIES_PER_HOUR
