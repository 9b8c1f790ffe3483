"""`make bench` works: a short run (two rounds) prints the table for every row,
without errors.
(How fast is for `make bench` itself; tests do not time things.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
ROWS = [
    "Static file (WhiteNoise)",
    "Content page",
    "Empty Django response (/healthz)",
    "Screener question (GET)",
    "Answer (POST, journeys)",
    "Check page",
    "Result page",
]


def test_the_benchmark_runs_and_writes_its_table(tmp_path):
    if not shutil.which("wrk"):
        pytest.fail("The benchmark needs wrk: run `make bench` once, or apt-get install wrk")
    output = tmp_path / "benchmark.md"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        "BENCH_SECONDS": "2",
        "BENCH_ROUNDS": "2",
        "BENCH_OUTPUT": str(output),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    site_database = BASE_DIR / "db.sqlite3"
    before = site_database.stat().st_mtime_ns if site_database.exists() else None
    run = subprocess.run(
        [sys.executable, "tools/bench/bench.py"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    table = output.read_text()
    assert "2 s a row in 2 rounds (medians)" in table
    assert "| What | Requests/s | p50 (ms) | p99 (ms) | Errors | Ratio to static |" in table
    for row in ROWS:
        line = next(line for line in table.splitlines() if line.startswith(f"| {row} |"))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert float(cells[1]) > 0, line
        assert cells[4] == "0", line
    assert table.split("\n\n", 2)[2].strip() in run.stdout
    # Its sessions went to a database of its own, not the site's.
    after = site_database.stat().st_mtime_ns if site_database.exists() else None
    assert after == before
