"""The speed budget, measured on the production server in Chromium: a first
view of any content page, or of the professionals' section, transfers at most
40 KB in at most 5 requests."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BASE_DIR, content_paths, professionals_paths

pytestmark = pytest.mark.browser

MAX_BYTES = 40 * 1024
MAX_REQUESTS = 5
REPORT = BASE_DIR / "test-results" / "budget.json"
measured: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    yield
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(measured, indent=2) + "\n")


@pytest.mark.parametrize("path", [*content_paths(), *professionals_paths()])
def test_first_view_stays_within_the_budget(chromium, production_server, path):
    context = chromium.new_context()  # empty cache: a first view
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(production_server + path, wait_until="networkidle")
    sizes = [request.sizes() for request in finished]
    encodings = {request.response().headers.get("content-encoding") for request in finished}
    context.close()

    total = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
    measured[path] = {"bytes": total, "requests": len(finished)}
    assert all(request.url.startswith(production_server) for request in finished)
    assert encodings == {"br"}
    assert len(finished) <= MAX_REQUESTS
    assert total <= MAX_BYTES, f"{path}: {total} bytes"


def test_static_files_are_cached_for_a_year_with_hashed_names(chromium, production_server):
    context = chromium.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(production_server + "/en/", wait_until="networkidle")
    context.close()
    static = [response for response in responses if "/static/" in response.url]
    assert static
    for response in static:
        assert "max-age=315360000" in response.headers["cache-control"]
        assert "immutable" in response.headers["cache-control"]
