from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from iontoinfo.pages import library

# Playwright's sync API runs an event loop in this thread; the live server's
# database work happens in its own thread, so Django's async guard is moot here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a headless Chromium with no network but loopback: without the
# background-networking ones it keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-gpu",
    # Even so, Chromium looks up Google's hosts at start; answer "not found" locally.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BASE_DIR = Path(__file__).resolve().parent.parent
SCREENSHOTS = BASE_DIR / "test-results" / "screenshots"


def pytest_configure(config):
    """The compiled translations, as `make test` builds them, for a run of
    pytest on its own: each .mo rebuilt when its .po is newer."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in BASE_DIR.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalogue)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's first language, as code outside a request
    runs: a request to /it/ activates Italian in this thread, and the lazy
    wording a test compares would otherwise follow the test before it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no page in the server-side cache."""
    from django.core.cache import cache

    cache.clear()


def content_paths() -> list[str]:
    """Every education page's path, in every language."""
    return [page.path for page in library().pages.values()]


def health_paths() -> list[str]:
    return [page.path for page in library().pages.values() if page.is_health]


def professionals_paths() -> list[str]:
    """The section for healthcare professionals: views, not Markdown, with
    review dates and sources like the health pages."""
    return [
        f"/{code}/professionals/{page}"
        for code, _name in settings.LANGUAGES
        for page in ("", "rules/", "paper-screener/", "handout/")
    ]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run. Fails, never skips, without it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests: run `make test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else []),
        )
        yield browser
        browser.close()


@dataclass
class BrowserPage:
    """A Playwright page plus what it saw: requests, console messages and errors."""

    page: object
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __getattr__(self, name: str):
        return getattr(self.page, name)

    def offsite_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname not in {"127.0.0.1"}]

    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


def watch(page) -> BrowserPage:
    """Record what a page requests, logs and throws; refuse any request that
    would leave this machine (it is still recorded, so tests can see it)."""
    seen = BrowserPage(page)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    return seen


def _open(chromium, **context_options) -> Iterator[BrowserPage]:
    context = chromium.new_context(**context_options)
    yield watch(context.new_page())
    context.close()


@pytest.fixture
def browser_page(chromium, live_server) -> Iterator[BrowserPage]:
    yield from _open(chromium, viewport={"width": 1024, "height": 768})


@pytest.fixture
def phone_page(chromium, live_server) -> Iterator[BrowserPage]:
    yield from _open(chromium, viewport={"width": 320, "height": 640})


@pytest.fixture
def no_js_page(chromium, live_server) -> Iterator[BrowserPage]:
    yield from _open(chromium, java_script_enabled=False, viewport={"width": 1024, "height": 768})


class ProductionServer(str):
    """The server's address (a str, as tests join paths to it), and its database file."""

    def __new__(cls, url: str, database: Path) -> ProductionServer:
        server = super().__new__(cls, url)
        server.database = database
        return server


@pytest.fixture(scope="session")
def production_server(tmp_path_factory) -> Iterator[str]:
    """The site as `make run` serves it: gunicorn with deploy/gunicorn.conf.py,
    DEBUG off, hashed and compressed static files from WhiteNoise, on a
    SQLite file of its own."""
    import base64
    import secrets
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = tmp_path_factory.mktemp("production")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "iontoinfo.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SUBMISSIONS_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(root / "static"),
        "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
        # Many ratings from one loopback address (tests/test_votes.py): the
        # limit per network is tested in-process.
        "RATE_LIMIT_RATINGS": "100000/m",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v0"], env=env, check=True, cwd=BASE_DIR)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "iontoinfo.wsgi",
            "-c",
            str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=BASE_DIR,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the production server did not start")
            time.sleep(0.2)
    yield ProductionServer(url, database=root / "db.sqlite3")
    server.terminate()
    server.wait(timeout=10)


# tests/scale needs PostgreSQL, Redis and HAProxy: `make test-scale` runs it.
collect_ignore = [] if os.environ.get("IONTOINFO_TEST_SCALE") else ["scale"]

# The people of the clinic tests (clinic A and B, a patient, an outsider).
pytest_plugins = ["tests.clinic_people"]


@pytest.fixture(params=[code for code, _name in settings.LANGUAGES])
def language(request) -> str:
    """Runs a test once in each of the site's languages."""
    return request.param
