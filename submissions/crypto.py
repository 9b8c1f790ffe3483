"""Encryption at rest: the answers and the person's details are encrypted by
the site before they reach the database, with Fernet (AES-128-CBC and
HMAC-SHA256, from `cryptography`). MultiFernet gives key rotation: the first
key of SUBMISSIONS_KEYS encrypts, every key decrypts."""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _current() -> MultiFernet:
    # Keyed by the setting's value, so a test that changes the keys gets new ones.
    return _fernet(tuple(settings.SUBMISSIONS_KEYS))


def encrypt(data: dict) -> str:
    """`data` as JSON, encrypted with the first key; a text token."""
    plain = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return _current().encrypt(plain).decode("ascii")


def decrypt(token: str) -> dict:
    """What `encrypt` locked, with any of the keys. Raises InvalidToken."""
    return json.loads(_current().decrypt(token.encode("ascii")))


def rotate(token: str) -> str:
    """The same data, encrypted again with the first key."""
    return _current().rotate(token.encode("ascii")).decode("ascii")
