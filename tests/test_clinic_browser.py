"""Clinics in a real Chromium, walked as people would: the commands, an
invitation, the authenticator app, signing out and in, a patient scanning the
clinic's QR code, and the counts going up. Every clinic page and state passes
axe at 1024 and 320 px, and works by keyboard and without JavaScript."""

from __future__ import annotations

import io
import re
from base64 import b32decode

import pytest
import zxingcpp
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from clinics.models import Clinic, Invitation, Role, WeeklyCount
from clinics.views import SEEN_KEY
from tests.clinic_people import NOBODY_SPECIAL, PASSWORD, make_clinician, next_code
from tests.conftest import SCREENSHOTS, BrowserPage, watch
from tests.test_browser import axe_violations
from tests.test_screener_browser import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "correct horse battery staple 42"


def assert_clean_at_both_widths(page: BrowserPage, name: str) -> None:
    """axe, the security policy, no script errors and nothing wider than the
    screen, at 1024 and at 320 px; a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    try:
        for width in (1024, 320):
            page.set_viewport_size({"width": width, "height": 768})
            assert axe_violations(page.page) == [], f"{name} at {width}px"
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name} scrolls sideways at {width}px: {scroll}px"
            if width == 1024:
                # On a desk's screen a table fits without scrolling sideways.
                cramped = page.eval_on_selector_all(
                    ".table-wrap",
                    "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth).length",
                )
                assert cramped == 0, f"{name}: a table scrolls sideways at {width}px"
            assert page.locator("h1").count() == 1, name
            page.screenshot(path=SCREENSHOTS / f"clinic-{name}-{width}.png", full_page=True)
    finally:
        page.set_viewport_size(viewport)
    assert page.csp_violations() == [], name
    assert page.errors == [], name
    assert page.offsite_requests() == [], name


def lines_of(page: BrowserPage, selector: str) -> list[int]:
    """How many lines the text of each element takes, as drawn now."""
    return page.eval_on_selector_all(
        selector,
        """elements => elements.map(element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
        })""",
    )


def submit(page: BrowserPage, button: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button).click()


def read_qr(page: BrowserPage, selector: str = "[data-qr] svg") -> str:
    """What a phone reads from the QR code as the browser draws it."""
    image = Image.open(io.BytesIO(page.locator(selector).first.screenshot()))
    (found,) = zxingcpp.read_barcodes(image)
    return found.text


def code_from_page(page: BrowserPage, steps_ahead: int = 0) -> str:
    """What the authenticator app shows, from the key typed off the page."""
    secret = page.locator("[data-key]").inner_text().replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


def sign_in(page: BrowserPage, base: str, email: str, password: str, device) -> None:
    page.goto(base + "/en/clinics/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, "Continue")
    page.get_by_label("Security code").fill(next_code(device))
    submit(page, "Sign in")


def answer_the_screener(page: BrowserPage) -> None:
    """From the start page to the result, reading each question's field name
    from its form, as a person reads the question."""
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Start now").click()
    while page.locator('[data-action="submit-answers"]').count() == 0:
        name = page.locator("main form input[type=radio], main form input[type=checkbox]")
        name = name.first.get_attribute("name")
        value = NOBODY_SPECIAL[name]
        for item in [value] if isinstance(value, str) else value:
            page.locator(f'input[name="{name}"][value="{item}"]').check()
        submit(page, "Continue")
    with page.expect_navigation():
        page.locator('[data-action="submit-answers"]').click()


def print_pages(page: BrowserPage, name: str) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    page.emulate_media(media="screen")
    (SCREENSHOTS / f"{name}.pdf").write_bytes(pdf)
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_whole_journey_from_the_commands_to_the_clinics_counts(
    chromium, live_server, settings, browser_page
):
    settings.IONTOINFO_CANONICAL_URL = live_server.url
    base = live_server.url
    out = io.StringIO()
    call_command("createclinic", "Riverside Skin Clinic", stdout=out)
    code = re.search(r"Code: (\S+)", out.getvalue()).group(1)
    out = io.StringIO()
    call_command("inviteclinician", code, "rita@riverside.example", "--admin", stdout=out)
    link = re.search(r"^(http://\S+/invitation/\S+/)$", out.getvalue(), re.M).group(1)

    # The clinician opens the invitation and sets a password.
    page = browser_page
    page.goto(link)
    assert "You are joining Riverside Skin Clinic" in page.locator("main").inner_text()
    assert_clean_at_both_widths(page, "invitation")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    submit(page, "Continue")

    # Enrols the authenticator app: the QR code holds the same key as the text.
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    assert_clean_at_both_widths(page, "enrol")
    otpauth = read_qr(page, ".qr-figure svg")
    key = page.locator("[data-key]").inner_text().replace(" ", "")
    assert otpauth.startswith("otpauth://totp/iontoinfo%3Arita%40riverside.example?")
    assert f"secret={key}" in otpauth
    page.get_by_label("Code from your app").fill(code_from_page(page))
    submit(page, "Confirm and finish")
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator("[data-recovery-codes] li").count() == 10
    assert_clean_at_both_widths(page, "recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue to your clinic's page").click()

    # Signs out, and back in with the second factor.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You have signed out"
    assert_clean_at_both_widths(page, "signed-out")
    device = TOTPDevice.objects.get(user__username="rita@riverside.example")
    sign_in(page, base, "rita@riverside.example", NEW_PASSWORD, device)
    assert page.url == f"{base}/en/clinics/{code}/"
    assert page.locator("h1").inner_text() == "Riverside Skin Clinic"
    assert_clean_at_both_widths(page, "clinic-page")

    # The QR code reads as the clinic's link, which is written out beside it.
    referral = read_qr(page)
    assert referral == f"{base}/en/screener/c/{code}/"
    assert page.locator("[data-referral-link]").inner_text() == referral
    week = page.locator("tbody tr").first
    assert week.locator("[data-started]").inner_text() == "0"

    # A patient scans it, sees who sent them, and does the check.
    patient = watch(chromium.new_context(viewport={"width": 1024, "height": 768}).new_page())
    patient.goto(referral)
    assert patient.url == f"{base}/en/screener/"
    note = "You were asked to do this check by Riverside Skin Clinic."
    assert note in patient.locator("main").inner_text()
    assert_clean_at_both_widths(patient, "referred-start")
    answer_the_screener(patient)
    assert "/result" in patient.url or patient.locator("[data-rules-version]").count() == 1
    assert "Show this to Riverside Skin Clinic" in patient.locator("main").inner_text()
    assert_clean_at_both_widths(patient, "referred-result")
    patient.emulate_media(media="print")
    summary = patient.locator(".print-summary")
    assert summary.is_visible()
    assert "Show this to Riverside Skin Clinic" in summary.inner_text()
    patient.emulate_media(media="screen")
    assert print_pages(patient, "clinic-referred-result-print") == 1
    patient.context.close()

    # The clinic's counts went up.
    page.reload()
    week = page.locator("tbody tr").first
    assert week.locator("[data-started]").inner_text() == "1"
    assert week.locator("[data-finished]").inner_text() == "1"
    assert WeeklyCount.objects.get(clinic__code=code).finished == 1


def test_handout_prints_on_one_a4_page_with_a_readable_qr_code(chromium, live_server, browser_page):
    clinic = Clinic.create_with_code("St Elsewhere Dermatology, Outpatients and Day Unit")
    person = make_clinician(clinic, "hal@elsewhere.example")
    sign_in(browser_page, live_server.url, person.user.email, PASSWORD, person.device)
    for language, _name in settings.LANGUAGES:
        browser_page.goto(f"{live_server.url}/{language}/clinics/{clinic.code}/")
        with browser_page.expect_navigation():
            browser_page.locator(f'a[hreflang="{language}"]').click()
        assert_clean_at_both_widths(browser_page, f"handout-{language}")
        link = f"{live_server.url}/{language}/screener/c/{clinic.code}/"
        assert read_qr(browser_page) == link
        assert browser_page.locator("[data-referral-url]").inner_text() == link
        assert browser_page.locator(".handout__steps li").count() == 3
        assert print_pages(browser_page, f"clinic-handout-{language}") == 1
        browser_page.emulate_media(media="print")
        assert not browser_page.locator(".clinic-bar").is_visible()
        assert not browser_page.locator(".site-nav").is_visible()
        browser_page.screenshot(
            path=SCREENSHOTS / f"clinic-handout-{language}-print.png", full_page=True
        )
        browser_page.emulate_media(media="screen")


def test_every_error_state_passes_axe_and_says_what_is_wrong(chromium, live_server, browser_page):
    base = live_server.url
    page = browser_page
    clinic = Clinic.create_with_code("Clinic A")
    admin = make_clinician(clinic, "ada@clinic-a.example", Role.ADMIN)
    colleague = make_clinician(clinic, "carla@clinic-a.example")

    # Sign-in errors.
    page.goto(base + "/en/clinics/sign-in/")
    assert_clean_at_both_widths(page, "sign-in")
    submit(page, "Continue")
    assert page.title().startswith("Error: ")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_clean_at_both_widths(page, "sign-in-error")
    page.get_by_label("Email address").fill(admin.user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Continue")
    assert_clean_at_both_widths(page, "code")
    page.get_by_label("Security code").fill("12")
    submit(page, "Sign in")
    assert "Enter the 6-digit code" in page.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(page, "code-error")
    page.get_by_label("Security code").fill(next_code(admin.device))
    submit(page, "Sign in")

    # The team page, its errors, an invitation made, removing someone.
    page.goto(f"{base}/en/clinics/{clinic.code}/team/")
    assert_clean_at_both_widths(page, "team")
    page.get_by_label("Their email address").fill("carla@clinic-a.example")
    submit(page, "Make an invitation")
    assert "already has an account" in page.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(page, "team-error")
    page.get_by_label("Their email address").fill("newt@clinic-a.example")
    page.get_by_label("Make them a clinic admin").check()
    submit(page, "Make an invitation")
    assert page.locator("[data-invitation-link]").count() == 1
    assert_clean_at_both_widths(page, "invited")
    with page.expect_navigation():
        page.get_by_role("link", name="Back to your team").click()
    assert "newt@clinic-a.example" in page.locator("[data-invitations]").inner_text()
    assert_clean_at_both_widths(page, "team-with-invitation")
    # On a desk's screen each address is read on one line, not broken at its hyphen.
    page.set_viewport_size({"width": 1024, "height": 768})
    assert lines_of(page, "[data-members] dt, [data-invitations] dt") == [1, 1, 1]
    with page.expect_navigation():
        page.get_by_role("link", name="Remove carla@clinic-a.example").click()
    assert_clean_at_both_widths(page, "remove")
    submit(page, "Remove them")
    assert "carla@clinic-a.example" not in page.locator("[data-members]").inner_text()
    page.goto(f"{base}/en/clinics/{clinic.code}/team/{admin.clinician.pk}/remove/")
    assert_clean_at_both_widths(page, "remove-self")

    # Idle for more than 30 minutes: signed out with a clear message.
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[SEEN_KEY] -= 31 * 60
    session.save()
    response = page.goto(f"{base}/en/clinics/{clinic.code}/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You have been signed out"
    assert_clean_at_both_widths(page, "idle")

    # Invitations that do not work.
    invitation, token = Invitation.issue(clinic, "ivy@clinic-a.example", Role.CLINICIAN)
    page.goto(f"{base}/en/clinics/invitation/{token}/")
    page.get_by_label("Create a password").fill("password")
    page.get_by_label("Type the password again").fill("passw0rd")
    submit(page, "Continue")
    assert "not the same" in page.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(page, "invitation-error")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    submit(page, "Continue")
    page.get_by_label("Code from your app").fill("000000")
    submit(page, "Confirm and finish")
    if page.title().startswith("Error: "):  # 000000 could, once in a million, be right
        assert_clean_at_both_widths(page, "enrol-error")
    for state, path in [
        ("invitation-unknown", "/en/clinics/invitation/nonsense/"),
        ("enrol-without-invitation", "/en/clinics/set-up/authenticator/"),
        ("unknown-referral", "/en/screener/c/ZZZZZZZ/"),
    ]:
        page.context.clear_cookies()
        response = page.goto(base + path)
        assert 400 <= response.status < 500, state
        assert_clean_at_both_widths(page, state)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = page.goto(f"{base}/en/clinics/invitation/{token}/")
    assert response.status == 410
    assert_clean_at_both_widths(page, "invitation-expired")
    used, used_token = Invitation.issue(clinic, "uma@clinic-a.example", Role.CLINICIAN)
    Invitation.objects.filter(pk=used.pk).update(accepted_at=timezone.now())
    page.goto(f"{base}/en/clinics/invitation/{used_token}/")
    assert_clean_at_both_widths(page, "invitation-used")

    # Too many wrong passwords: locked, with how long to wait.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(base + "/en/clinics/sign-in/")
        page.get_by_label("Email address").fill(colleague.user.email or "carla@clinic-a.example")
        page.get_by_label("Password", exact=True).fill("not the password")
        submit(page, "Continue")
    assert page.locator("h1").inner_text() == "Your account is locked for now"
    assert "Wait 15 minutes" in page.locator("main").inner_text()
    assert_clean_at_both_widths(page, "locked-out")


def test_clinician_signs_in_and_out_by_keyboard_alone(chromium, live_server, browser_page):
    clinic = Clinic.create_with_code("Clinic A")
    person = make_clinician(clinic, "kay@clinic-a.example")
    page = browser_page
    page.goto(live_server.url + "/en/clinics/sign-in/")
    tab_to(page, 'input[name="email"]')
    page.keyboard.type(person.user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, 'input[name="code"]')
    page.keyboard.type(next_code(person.device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/en/clinics/{clinic.code}/"
    tab_to(page, f'a[hreflang="{settings.LANGUAGES[0][0]}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/handout/" in page.url
    tab_to(page, ".clinic-bar button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "You have signed out"


def test_clinic_pages_work_without_javascript(chromium, live_server):
    clinic = Clinic.create_with_code("Clinic A")
    person = make_clinician(clinic, "nora@clinic-a.example", Role.ADMIN)
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = watch(context.new_page())
    sign_in(page, live_server.url, person.user.email, PASSWORD, person.device)
    assert page.locator("h1").inner_text() == "Clinic A"
    assert read_qr(page) == f"{live_server.url}/en/screener/c/{clinic.code}/"
    page.goto(f"{live_server.url}/en/clinics/{clinic.code}/team/")
    page.get_by_label("Their email address").fill("new@clinic-a.example")
    submit(page, "Make an invitation")
    assert page.locator("[data-invitation-link]").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You have signed out"
    assert page.csp_violations() == []
    assert page.offsite_requests() == []
    context.close()
