"""The "we could not save your answer" page in Chromium: accessible at 1024
and 320 px, the error summary takes focus, and the choice is still selected."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from playwright.sync_api import expect

from tests.screener_walker import answer_in_browser, start_in_browser
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1024, 320])
def test_an_answer_sent_while_the_database_is_down_is_shown_again(chromium, live_server, width):
    context = chromium.new_context(viewport={"width": width, "height": 768})
    page = context.new_page()
    start_in_browser(page, live_server.url, "/en/screener/")
    answer_in_browser(page, "areas", ["hands"])
    address = page.url
    page.locator('input[name="implanted_device"][value="no"]').check()
    # Every thread's database connection fails, the live server's included.
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("down")):
        with page.expect_navigation() as navigation:
            page.locator("main form").get_by_role("button", name="Continue").click()
        assert navigation.value.status == 503
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert "We could not save your answer. Try again in a minute." in summary.inner_text()
    expect(summary).to_be_focused()
    assert page.locator('input[name="implanted_device"][value="no"]').is_checked()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A minute later, Continue again works: on to the next question.
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Continue").click()
    assert page.url != address
    assert page.locator("h1").count() == 1
    context.close()
