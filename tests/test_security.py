"""Security headers and settings that fail closed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import content_paths

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/en/", "/en/screener/", "/en/missing/"])
def test_every_page_sends_a_strict_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] in (["'none'"], ["'self'"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_pages_switch_off_browser_features_and_framing(client):
    response = client.get(content_paths()[0])
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", f"from iontoinfo import settings as s; print(({expression},))"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key():
    result = _settings_in_subprocess({}, "s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_are_the_default():
    result = _settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "k" * 60},
        "s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.ALLOWED_HOSTS",
    )
    assert result.stdout.strip() == "(False, True, True, 31536000, [])"


def test_a_mistyped_boolean_is_refused_not_guessed():
    result = _settings_in_subprocess({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_DEBUG": "ture"}, "1")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_redis_url_switches_the_cache_and_sessions_to_redis():
    result = _settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "k" * 60, "REDIS_URL": "redis://127.0.0.1:6379/1"},
        "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE",
    )
    assert "RedisCache" in result.stdout
    assert "cached_db" in result.stdout


def test_database_url_switches_to_postgresql():
    result = _settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "k" * 60, "DATABASE_URL": "postgres://u@db.example:5432/site"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST']",
    )
    assert result.stdout.strip() == "('django.db.backends.postgresql', 'db.example')"


def _django_settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    """Settings as Django sees them, its defaults included."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = f"from django.conf import settings as s; print(({expression},))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "iontoinfo.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_over_https_the_session_and_csrf_cookies_are_bound_to_this_host():
    # "__Host-": the browser takes the cookie only if it is Secure, for the
    # path "/" and with no Domain, so a neighbouring subdomain or a plain-HTTP
    # response cannot plant a session or CSRF cookie here.
    shown = _django_settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "k" * 60},
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN",
    )
    assert shown == "('__Host-sessionid', '__Host-csrftoken', True, True, '/', '/', None, None)"


def test_over_plain_http_the_cookies_keep_plain_names():
    # Browsers refuse "__Host-" cookies that are not Secure.
    shown = _django_settings_in_subprocess(
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_HTTPS": "false"},
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME",
    )
    assert shown == "('sessionid', 'csrftoken')"
