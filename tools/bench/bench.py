"""`make bench`: the site as `make run` serves it, under wrk, 16 connections.

Starts `make run` on a free port (on a SQLite database of its own unless
DATABASE_URL is set), prepares one screener session per
connection (a finished journey, as a person leaves it), then measures each
row with wrk and prints a table; BENCH_OUTPUT (default docs/benchmark.md)
gets the same table. Every connection is its own person: question, check
and result pages are read in that person's own session, and answers are
posted in real journeys, each starting a new session.

The rows take turns: BENCH_ROUNDS rounds (default 3), each measuring every
row for its share of BENCH_SECONDS (default 10), and each figure is the
median of the rounds. On a machine that also runs wrk, a row measured alone
can be off by a third; its ratio to the static file measured a few seconds
before, in the same round, much less.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from screener import rules  # noqa: E402  (plain Python, no Django)

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "docs" / "benchmark.md"))
SCRIPT = Path(__file__).with_name("journey.lua")
CSRF = "benchbenchbenchbenchbenchbench12"
CONTENT_PAGE = "/en/is-it-safe/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def journey_answers() -> list[str]:
    """One person's answers, in the order the screener asks them: the first
    option of each question asked (the encoded form bodies)."""
    answers: dict[str, str | tuple[str, ...]] = {}
    bodies = []
    while (question := rules.first_unanswered(answers)) is not None:
        value = question.options[0]
        answers[question.name] = (value,) if question.multiple else value
        bodies.append(urllib.parse.urlencode({question.name: value}))
    return bodies


class Person:
    """A browser's worth of state: a session cookie, kept between requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.session = ""

    def send(self, method: str, path: str, body: str = "") -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = f"csrftoken={CSRF}" + (f"; {self.session}" if self.session else "")
        headers = {"Cookie": cookie}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = body + f"&csrfmiddlewaretoken={CSRF}"
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            if match := re.match(r"(sessionid=[a-z0-9]+)", value):
                self.session = match.group(1)
        location = response.headers.get("Location", "")
        connection.close()
        return response.status, re.sub(r"^https?://[^/]+", "", location), text

    def finish_journey(self) -> str:
        """Answers every question, confirms on the check page; returns the
        first question's address (in this session)."""
        status, where, _ = self.send("GET", "/en/screener/begin/")
        first = where
        for body in journey_answers():
            status, where, _ = self.send("POST", where, body)
            if status != 302:
                raise SystemExit(f"bench: answering failed with {status} at {where}")
        status, _, _ = self.send("POST", "/en/screener/check/")
        if status != 302:
            raise SystemExit(f"bench: the check page refused the answers ({status})")
        return first


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench: `make run` stopped before the site answered")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("bench: the site did not answer within 2 minutes")


def static_path(port: int) -> str:
    """The stylesheet's hashed address, as the pages link it."""
    person = Person(port)
    _, _, html = person.send("GET", CONTENT_PAGE)
    match = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html)
    if not match:
        raise SystemExit("bench: the content page links no hashed stylesheet")
    return match.group(1)


def wrk(port: int, name: str, args: list[str], seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            "wrk",
            f"-t{CONNECTIONS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            f"http://127.0.0.1:{port}",
            "--",
            *args,
        ]
        subprocess.run(
            command,
            env={**os.environ, "BENCH_OUT": out.name},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        result = json.loads(Path(out.name).read_text())
    seconds = result["duration_us"] / 1e6
    return {
        "name": name,
        "rps": result["requests"] / seconds,
        "p50": result["p50_us"] / 1000,
        "p99": result["p99_us"] / 1000,
        "errors": result["errors"],
        "requests": result["requests"],
    }


def combine(rounds: list[dict[str, float]], static: list[dict[str, float]]) -> dict[str, float]:
    """One row from its rounds: medians, and the ratio to the static file
    measured in the same round."""
    return {
        "name": rounds[0]["name"],
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50": statistics.median(r["p50"] for r in rounds),
        "p99": statistics.median(r["p99"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "ratio": statistics.median(
            r["rps"] / (s["rps"] or 1) for r, s in zip(rounds, static, strict=True)
        ),
    }


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| What | Requests/s | p50 (ms) | p99 (ms) | Errors | Ratio to static |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} | {row['ratio']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    port = int(os.environ.get("BENCH_PORT") or free_port())
    env = dict(os.environ)
    scratch = tempfile.TemporaryDirectory(prefix="iontoinfo-bench-")
    if "DATABASE_URL" not in env:
        # A SQLite database of its own, deleted afterwards: the thousands of
        # sessions a run makes do not stay in the site's db.sqlite3.
        env["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(port, server)
        people = [Person(port) for _ in range(CONNECTIONS)]
        firsts = [person.finish_journey() for person in people]
        with tempfile.TemporaryDirectory() as folder:
            cookies = Path(folder, "cookies")
            cookies.write_text("".join(person.session + "\n" for person in people))
            # Question addresses differ between sessions: each person reads
            # their own first question.
            questions = Path(folder, "questions")
            questions.write_text(
                "".join(f"{p.session}\t{first}\n" for p, first in zip(people, firsts, strict=True))
            )
            plan = [
                ("Static file (WhiteNoise)", ["get", static_path(port)]),
                ("Content page", ["get", CONTENT_PAGE]),
                # The least a request through Django's whole stack costs: no
                # session, no database, no template. No page Django renders
                # can be faster than this row.
                ("Empty Django response (/healthz)", ["get", "/healthz"]),
                ("Screener question (GET)", ["get", firsts[0], str(questions)]),
                ("Answer (POST, journeys)", ["answer", "-", *journey_answers()]),
                ("Check page", ["get", "/en/screener/check/", str(cookies)]),
                ("Result page", ["get", "/en/screener/result/", str(cookies)]),
            ]
            seconds = max(1, round(SECONDS / ROUNDS))
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name, _ in plan}
            for _ in range(ROUNDS):
                for name, args in plan:
                    rounds[name].append(wrk(port, name, args, seconds))
            static = rounds[plan[0][0]]
            rows = [combine(rounds[name], static) for name, _ in plan]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        scratch.cleanup()
    text = table(rows)
    print(text)
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        f"# Benchmark\n\n`make bench` on {when}: {CONNECTIONS} connections, "
        f"{SECONDS} s a row in {ROUNDS} rounds (medians), {os.cpu_count()} CPU cores.\n\n"
        f"{text}\n"
    )
    bad = [row["name"] for row in rows if row["errors"] or not row["requests"]]
    if bad:
        raise SystemExit(f"bench: errors in {', '.join(bad)}")


if __name__ == "__main__":
    main()
