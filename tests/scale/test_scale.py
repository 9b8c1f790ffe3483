"""Several servers, one site (`make test-scale`): two gunicorn servers share
PostgreSQL and Redis behind HAProxy (deploy/haproxy.cfg), and a database
that hangs costs seconds, not the site.

Needs PostgreSQL and Redis: DATABASE_URL and REDIS_URL, by default the local
ones at 127.0.0.1. Without them it fails saying so; it never skips."""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from screener import rules

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE_URL = (
    os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/iontoinfo_scale"
)
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
CSRF = "scalescalescalescalescalescale12"

# Someone whose answers raise flags, so "the same flags" means something.
PERSON = {
    "areas": ("hands", "feet"),
    "implanted_device": "no",
    "metal_implant": "yes",
    "metal_implant_location": ("legs_feet",),
    "pregnant": "not_sure",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reachable(url: str, default_port: int) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def journey() -> list[tuple[str, str | tuple[str, ...]]]:
    """PERSON's answers in the order the screener asks; the first option elsewhere."""
    answers: dict[str, str | tuple[str, ...]] = {}
    order = []
    while (question := rules.first_unanswered(answers)) is not None:
        value = PERSON.get(question.name) or (
            (question.options[0],) if question.multiple else question.options[0]
        )
        if question.name == "warning_signs":
            value = ("none",)
        answers[question.name] = value
        order.append((question.name, value))
    return order


@dataclass
class Person:
    """A browser: a session cookie, a new connection for every request."""

    port: int
    session: str = ""
    host: str = ""  # the Host header: the port's own by default

    def send(self, method: str, path: str, data: dict | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {
            "Host": self.host or f"127.0.0.1:{self.port}",
            "Cookie": f"csrftoken={CSRF}" + (f"; {self.session}" if self.session else ""),
        }
        body = None
        if method == "POST":
            pairs = [("csrfmiddlewaretoken", CSRF)]
            for name, value in (data or {}).items():
                for item in (value,) if isinstance(value, str) else value:
                    pairs.append((name, item))
            body = urllib.parse.urlencode(pairs)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{headers['Host']}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            if match := re.match(r"(sessionid=[a-z0-9]+)", value):
                self.session = match.group(1)
        connection.close()
        location = re.sub(r"^https?://[^/]+", "", response.headers.get("Location", ""))
        return response.status, location, text


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    def requests(self, prefix: str) -> int:
        return sum(f" {prefix}" in line for line in self.log.read_text().splitlines())

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        # The master is gone; its workers may outlive it by a moment, and one
        # could still take a request and die in the middle of it. Dead means
        # nothing listens any more.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return
            time.sleep(0.05)
        pytest.fail(f"the server on port {self.port} still accepts connections after SIGKILL")


@dataclass
class Site:
    env: dict[str, str]
    root: Path
    servers: list[Server] = field(default_factory=list)
    proxy_port: int = 0

    def start_server(self, **extra: str) -> Server:
        port = free_port()
        log = self.root / f"access-{port}.log"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        process = subprocess.Popen(
            [
                str(gunicorn),
                "iontoinfo.wsgi",
                "-c",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(log),
                "--access-logformat",
                '"%(m)s %(U)s" %(s)s',
            ],
            env={**self.env, **extra},
            cwd=BASE_DIR,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        server = Server(port, process, log)
        wait_for(port, "/healthz", process)
        self.servers.append(server)
        return server


def wait_for(port: int, path: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the server on port {port} stopped at start")
        try:
            status, _, _ = Person(port).send("GET", path, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"nothing answered 200 at {port}{path} within a minute")


def create_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        pytest.fail(f"make test-scale needs PostgreSQL: DATABASE_URL is {DATABASE_URL!r}")
    if not reachable(DATABASE_URL, 5432):
        pytest.fail(f"make test-scale needs PostgreSQL at {DATABASE_URL}: nothing answers there")
    if not reachable(REDIS_URL, 6379):
        pytest.fail(f"make test-scale needs Redis at {REDIS_URL}: nothing answers there")
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.fail(
            "make test-scale needs HAProxy: run it with make (it installs Debian's haproxy)"
        )
    create_database(DATABASE_URL)
    root = tmp_path_factory.mktemp("scale")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "iontoinfo.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SUBMISSIONS_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_STATIC_ROOT": str(root / "static"),
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
    }
    # Migrations run once, before any server starts; never on each server.
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"], env=env, check=True, cwd=BASE_DIR
        )
    site = Site(env, root)
    first, second = site.start_server(), site.start_server()
    site.proxy_port = free_port()
    proxy = subprocess.Popen(
        [haproxy, "-db", "-f", str(BASE_DIR / "deploy" / "haproxy.cfg")],
        env={
            **os.environ,
            "IONTOINFO_LISTEN": f"127.0.0.1:{site.proxy_port}",
            "IONTOINFO_APP1": f"127.0.0.1:{first.port}",
            "IONTOINFO_APP2": f"127.0.0.1:{second.port}",
            "IONTOINFO_HOST": "127.0.0.1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(site.proxy_port, "/readyz", proxy)
        time.sleep(2.5)  # both servers pass their first health checks
        yield site
    finally:
        os.killpg(proxy.pid, signal.SIGTERM)
        proxy.wait(timeout=10)
        for server in site.servers:
            if server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGTERM)
                server.process.wait(timeout=20)


def rating_summary(html: str) -> str:
    return re.search(r'<p class="page-rating__summary">\s*(.*?)\s*</p>', html, re.S).group(1)


def test_a_page_rendered_by_one_server_is_served_from_redis_by_the_other(site):
    first, second = site.servers[:2]
    path = "/en/treatment/"
    # Both asked directly, for the site's one public host name.
    host = f"127.0.0.1:{site.proxy_port}"
    status, _, rendered = Person(first.port, host=host).send("GET", path)
    assert status == 200
    before = rating_summary(rendered)
    # A new rating, on the second server: a page it rendered now would count it.
    reader = Person(second.port, host=host)
    reader_status, _, _ = reader.send("POST", "/en/treatment/rate/", {"score": "5"})
    assert reader_status == 302
    status, _, served = Person(second.port, host=host).send("GET", path)
    assert status == 200
    assert rating_summary(served) == before  # the first server's page, from Redis
    assert served == rendered


def test_a_journey_across_both_servers_survives_one_dying(site):
    first, second = site.servers[:2]
    person = Person(site.proxy_port)
    status, where, _ = person.send("GET", "/en/screener/begin/")
    assert status == 302
    steps = journey()
    half = len(steps) // 2
    for name, value in steps[:half]:
        status, where, _ = person.send("POST", where, {name: value})
        assert status == 302, (name, status)
    # Round robin: both servers took part in this journey.
    assert first.requests("/en/screener/q/") > 0
    assert second.requests("/en/screener/q/") > 0
    first.kill()
    for name, value in steps[half:]:
        status, where, _ = person.send("POST", where, {name: value})
        assert status == 302, (name, status)
    assert where == "/en/screener/check/"
    status, _, _ = person.send("GET", where)
    assert status == 200
    status, where, _ = person.send("POST", "/en/screener/check/")
    assert (status, where) == (302, "/en/screener/result/")
    status, _, result = person.send("GET", where)
    assert status == 200
    # Every answer kept, the same flags the rules give for them.
    shown = set(re.findall(r'data-flag="([^"]+)"', result))
    expected = {flag.id for flag in rules.flags(dict(steps))}
    assert expected
    assert shown == expected


class FreezableProxy:
    """A TCP proxy to PostgreSQL that can stop forwarding while keeping every
    connection open: a database that hangs rather than refuses."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if self.frozen.is_set():
                continue  # accepted, never answered: kept open, like a stopped server
            upstream = socket.create_connection(self.target)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)  # holds the data: the other side waits
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


def test_a_hung_database_answers_503_within_seconds_then_recovers(site):
    parts = urllib.parse.urlsplit(DATABASE_URL)
    proxy = FreezableProxy((parts.hostname, parts.port or 5432))
    through_proxy = parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}")
    server = site.start_server(DATABASE_URL=through_proxy.geturl())
    person = Person(server.port)
    status, question, _ = person.send("GET", "/en/screener/begin/")
    assert status == 302
    assert Person(server.port).send("GET", "/readyz")[0] == 200

    proxy.frozen.set()
    started = time.monotonic()
    status, _, body = Person(server.port).send("GET", "/readyz")
    assert status == 503
    assert "database: unavailable" in body
    assert time.monotonic() - started < 5
    started = time.monotonic()
    status, _, page = person.send("POST", question, {"areas": ("feet",)})
    assert status == 503
    assert "We could not save your answer. Try again in a minute." in page
    assert re.search(r'value="feet"[^>]*checked', page)
    assert time.monotonic() - started < 8
    # Content pages go on meanwhile.
    assert Person(server.port).send("GET", "/en/how-it-works/")[0] == 200

    proxy.frozen.clear()
    deadline = time.monotonic() + 15
    while Person(server.port).send("GET", "/readyz")[0] != 200:
        assert time.monotonic() < deadline, "the server did not recover without a restart"
        time.sleep(0.5)
    status, where, _ = person.send("POST", question, {"areas": ("feet",)})
    assert status == 302
    assert where != question
