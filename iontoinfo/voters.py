"""Who is rating, for one day only, without a cookie and without keeping an
address: a keyed hash of the network the request came from (its /24 for
IPv4, its /64 for IPv6) and the browser's user agent.

The key is derived from SECRET_KEY and today's date, and is never written
anywhere: tomorrow's key differs, so today's hashes cannot be linked to
tomorrow's. A rating keeps its hash only for the day it was made
(`PageRating.forget_old_voters`)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind our own proxy
    (DJANGO_BEHIND_PROXY), the last address it added to X-Forwarded-For."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def network(request: HttpRequest) -> str:
    """The request's network: /24 for IPv4, /64 for IPv6 (one household or
    office, not one device). An unreadable address is its own network."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    prefix = 24 if parsed.version == 4 else 64
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def _todays_key() -> bytes:
    day = datetime.date.today().isoformat()  # the day PageRating.created holds
    return hmac.new(settings.SECRET_KEY.encode(), f"voter-key:{day}".encode(), "sha256").digest()


def voter(request: HttpRequest) -> str:
    """Today's keyed hash of this request's network and user agent."""
    agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    message = f"{network(request)}\n{agent}".encode()
    return hmac.new(_todays_key(), message, hashlib.sha256).hexdigest()


def ratelimit_network(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the request's network (hashed there too)."""
    return network(request)


def ratelimit_session(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key for the screener: the person's session, or
    their network before they have one."""
    return request.session.session_key or network(request)
