"""What `make` does on a newcomer's machine when a tool it needs is missing
(tools/install-or-stop): it installs the Debian package where it can, and
otherwise stops, saying what is needed and how to get it."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "install-or-stop"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    # Only the stubs on PATH: the machine's own apt-get is never run.
    return subprocess.run(
        ["/bin/sh", str(SCRIPT), *args],
        env={"PATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_without_root_it_stops_and_says_how_to_install(tmp_path):
    _stub(tmp_path, "id", "echo 1000")
    _stub(tmp_path, "apt-get", f"echo called >> {tmp_path}/apt-get.log")
    result = _run(
        tmp_path,
        "chromium",
        "The browser tests need Chromium at /usr/bin/chromium",
        "or set CHROMIUM=/path/to/chromium",
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "The browser tests need Chromium at /usr/bin/chromium.",
        "Install it (Debian/Ubuntu: sudo apt-get install chromium)"
        " or set CHROMIUM=/path/to/chromium.",
    ]
    assert not (tmp_path / "apt-get.log").exists()


def test_without_apt_get_it_stops_even_as_root(tmp_path):
    _stub(tmp_path, "id", "echo 0")
    result = _run(tmp_path, "wrk", "The benchmark needs wrk")
    assert result.returncode == 1
    assert "sudo apt-get install wrk" in result.stdout


def test_as_root_with_apt_get_it_installs_every_package_named(tmp_path):
    _stub(tmp_path, "id", "echo 0")
    _stub(tmp_path, "apt-get", f'echo "$*" >> {tmp_path}/apt-get.log')
    result = _run(tmp_path, "nodejs npm", "The LHC-Forms test needs npm")
    assert result.returncode == 0
    assert "installing Debian's nodejs npm" in result.stdout
    calls = (tmp_path / "apt-get.log").read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq nodejs npm"]


def test_a_failed_install_fails_make(tmp_path):
    _stub(tmp_path, "id", "echo 0")
    _stub(tmp_path, "apt-get", 'test "$1" = update || exit 100')
    result = _run(tmp_path, "no-such-package", "Something needs it")
    assert result.returncode != 0
