"""Test settings: the production settings, with HTTPS enforcement off (the test
client and the browser tests speak plain HTTP) and plain static storage, so
tests need no collectstatic. The production server fixture uses the real ones."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "t" * 50)
os.environ.setdefault("DJANGO_HTTPS", "false")
# A Fernet key for the tests only (32 bytes, URL-safe base64).
os.environ.setdefault("SUBMISSIONS_KEYS", "dGVzdC1rZXktZm9yLXN1Ym1pc3Npb25zLTMyLWJ5dGU=")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from iontoinfo.settings import *  # noqa: F403
from iontoinfo.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Passwords are hashed quickly here; production keeps Django's slow default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
