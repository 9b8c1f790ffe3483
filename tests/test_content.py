"""The content files: a broken one stops the site with a message naming it,
and every page stays in plain language."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import textstat

from iontoinfo.pages import DEFAULT_CONTENT_DIR, ContentError, library, load_library

MAX_GRADE = 9.0

GOOD = """\
---
title: A page
nav_title: Page
summary: A summary long enough to be shown in search results for this page.
kind: health
last_reviewed: 2026-11-01
next_review_due: 2027-11-01
sources:
  - title: A source
    url: https://example.org/source
---
Some words. [Home](page:home)
"""


def write(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    folder = tmp_path / "en"
    folder.mkdir(exist_ok=True)
    (folder / "home.md").write_text(GOOD.replace("title: A page", "title: Home"))
    (folder / name).write_text(textwrap.dedent(text))
    return folder / name


def test_a_good_page_loads_with_its_links_resolved(tmp_path):
    write(tmp_path, GOOD)
    page = load_library(tmp_path).get("en", "page")
    assert page.title == "A page"
    assert '<a href="/en/">Home</a>' in page.body
    assert page.sources[0].url == "https://example.org/source"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("title: A page\n", ""), "missing title"),
        (
            ("last_reviewed: 2026-11-01", "last_reviewed: 1 Nov 2026"),
            "'last_reviewed' must be a date",
        ),
        (("next_review_due: 2027-11-01", "next_review_due: 2026-10-01"), "must come after"),
        (
            ("  - title: A source\n    url: https://example.org/source", "  - https://example.org"),
            "source 1 must have exactly a 'title' and a 'url'",
        ),
        (("url: https://example.org/source", "url: http://example.org/source"), "https://"),
        (("kind: health", "kind: blog"), "'kind' must be one of"),
        (("(page:home)", "(page:nowhere)"), "links to 'page:nowhere'"),
        (("Some words.", "# A second title"), "headings in the body start at '##'"),
        (("nav_title: Page", "nav_title: Page\ncolour: blue"), "unknown field(s) colour"),
        (("---\ntitle", "title"), "must start with a '---' line"),
        (
            (
                "summary: A summary long enough to be shown in search results for this page.",
                "summary: Too short.",
            ),
            "50 to 160 characters",
        ),
    ],
)
def test_a_broken_page_is_refused_with_the_file_named(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_manage_check_fails_on_a_broken_page(tmp_path):
    shutil.copytree(DEFAULT_CONTENT_DIR, tmp_path / "content")
    broken = tmp_path / "content" / "en" / "treatment.md"
    broken.write_text(broken.read_text().replace("last_reviewed:", "reviewed:", 1))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "IONTOINFO_CONTENT_DIR": str(tmp_path / "content"),
        },
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode != 0
    assert f"{broken}: front matter" in result.stderr


@pytest.mark.parametrize("page", library().pages.values(), ids=lambda page: page.path)
def test_page_reads_at_grade_9_or_below(page):
    grade = textstat.flesch_kincaid_grade(page.text)
    assert grade <= MAX_GRADE, f"{page.path} reads at grade {grade}; shorten sentences and words"
