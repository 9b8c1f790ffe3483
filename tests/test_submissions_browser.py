"""Sending answers to a clinic in a real Chromium, as people do it: a patient
comes through clinic A's link, sends with consent; a clinician of clinic A
signs in with the second factor, finds the answers by reference, sees the same
flags, marks them reviewed, prints them and downloads the FHIR file; clinic
B's clinician gets 404; the patient withdraws; another submission is purged
when the clock passes the retention period. Every new page and state passes
axe at 1024 and 320 px, and sending and withdrawing work by keyboard alone."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from clinics.models import Clinic, Role
from submissions.models import Action, AuditEntry, Submission
from tests.clinic_people import NOBODY_SPECIAL, PASSWORD, make_clinician
from tests.conftest import BrowserPage, watch
from tests.submission_people import BORN, FLAGGED, NAME, PATIENT_NUMBER, SEND, finished, send
from tests.test_clinic_browser import assert_clean_at_both_widths, print_pages, sign_in, submit
from tests.test_screener_browser import tab_to
from tests.test_submissions import check_fhir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(chromium, width: int = 1024) -> BrowserPage:
    return watch(chromium.new_context(viewport={"width": width, "height": 768}).new_page())


def answer(page: BrowserPage, answers: dict) -> None:
    """From the start page to the result, reading each question's field name
    from its form, as a person reads the question."""
    chosen = {**NOBODY_SPECIAL, **answers}
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Start now").click()
    while page.locator('[data-action="submit-answers"]').count() == 0:
        name = page.locator("main form input[type=radio], main form input[type=checkbox]")
        name = name.first.get_attribute("name")
        value = chosen[name]
        for item in [value] if isinstance(value, str) else value:
            page.locator(f'input[name="{name}"][value="{item}"]').check()
        submit(page, "Continue")
    with page.expect_navigation():
        page.locator('[data-action="submit-answers"]').click()


def fill_birth_date(page: BrowserPage, day: str, month: str, year: str) -> None:
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill(month)
    page.get_by_label("Year").fill(year)


def flags_shown(page: BrowserPage, scope: str) -> list[str]:
    return page.locator(f"{scope} [data-flag]").evaluate_all(
        "nodes => nodes.map(n => n.dataset.flag)"
    )


def test_patient_sends_clinic_reads_reviews_downloads_patient_withdraws_rest_is_purged(
    chromium, live_server, settings
):
    settings.IONTOINFO_CANONICAL_URL = live_server.url
    base = live_server.url
    clinic_a = Clinic.create_with_code("Riverside Skin Clinic")
    clinic_b = Clinic.create_with_code("Hillside Dermatology")
    carla = make_clinician(clinic_a, "carla@riverside.example")
    bo = make_clinician(clinic_b, "bo@hillside.example")

    # The patient comes through clinic A's link and finishes the check.
    patient = new_page(chromium)
    patient.goto(f"{base}/en/screener/c/{clinic_a.code}/")
    answer(patient, FLAGGED)
    result_flags = flags_shown(patient, ".screen-only")
    assert result_flags == ["pregnancy", "face"]
    assert_clean_at_both_widths(patient, "result-with-send-offer")

    # Sending, only by choice: the page says what, who, until when.
    with patient.expect_navigation():
        patient.get_by_role("link", name="Send my answers to Riverside Skin Clinic").click()
    main = patient.locator("main").inner_text()
    assert "Only the clinicians of Riverside Skin Clinic" in main
    assert "We delete them on" in main
    assert_clean_at_both_widths(patient, "send")
    assert not patient.get_by_label("I want to send my answers").is_checked()

    submit(patient, "Send my answers")
    assert patient.title().startswith("Error: ")
    expect(patient.locator(".error-summary")).to_be_focused()
    assert "Enter your full name" in patient.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(patient, "send-errors")

    patient.get_by_label("Your full name").fill(NAME)
    fill_birth_date(patient, "31", "2", "1987")
    patient.get_by_label("Your patient number at the clinic (optional)").fill(PATIENT_NUMBER)
    patient.get_by_label("I want to send my answers").check()
    submit(patient, "Send my answers")
    assert "Date of birth must be a real date" in patient.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(patient, "send-impossible-date")
    fill_birth_date(patient, BORN["birth_day"], BORN["birth_month"], BORN["birth_year"])
    patient.get_by_label("I want to send my answers").uncheck()
    submit(patient, "Send my answers")
    assert "Tick the box" in patient.locator(".error-summary").inner_text()
    assert Submission.objects.count() == 0
    patient.get_by_label("I want to send my answers").check()
    submit(patient, "Send my answers")
    reference = patient.locator("[data-reference]").inner_text()
    assert patient.locator("h1").inner_text() == "Your answers have been sent"
    assert "If the clinic does not get in touch" in patient.locator("main").inner_text()
    assert_clean_at_both_widths(patient, "sent")
    for url in patient.requests:
        for secret in (NAME.split()[0], "1987", PATIENT_NUMBER):
            assert secret not in url

    # A clinician of clinic A signs in with the second factor and finds them.
    clinician = new_page(chromium)
    sign_in(clinician, base, carla.user.email, PASSWORD, carla.device)
    with clinician.expect_navigation():
        clinician.get_by_role("link", name="Answers received").click()
    assert clinician.locator(f'tr[data-reference="{reference}"]').count() == 1
    assert_clean_at_both_widths(clinician, "inbox")
    # A reference is read and copied whole: one line, at either width.
    viewport = clinician.viewport_size
    for width in (1024, 320):
        clinician.set_viewport_size({"width": width, "height": 768})
        lines = clinician.get_by_role("link", name=reference).evaluate(
            "link => link.getClientRects().length"
        )
        assert lines == 1, f"the reference wraps at {width}px"
    clinician.set_viewport_size(viewport)
    clinician.get_by_label("Find by reference or name").fill(reference.lower())
    submit(clinician, "Search")
    assert clinician.locator("tbody tr").count() == 1
    assert "?" not in clinician.url
    assert_clean_at_both_widths(clinician, "inbox-search")
    with clinician.expect_navigation():
        clinician.get_by_role("link", name=reference).click()
    assert flags_shown(clinician, "main") == result_flags
    assert NAME in clinician.locator("[data-person]").inner_text()
    assert_clean_at_both_widths(clinician, "answers")
    submit(clinician, "Mark as reviewed")
    assert clinician.locator('[data-reviewed="yes"]').count() == 1
    assert_clean_at_both_widths(clinician, "answers-reviewed")

    with clinician.expect_download() as download:
        clinician.get_by_role("link", name="Download as FHIR (JSON)").click()
    resource = json.loads(Path(download.value.path()).read_text())
    submission = Submission.objects.get(reference=reference)
    check_fhir(resource, submission, origin=base)

    with clinician.expect_navigation():
        clinician.get_by_role("link", name="Print").click()
    assert_clean_at_both_widths(clinician, "print")
    assert print_pages(clinician, "submission-print") == 1
    detail_url = f"{base}/en/clinics/{clinic_a.code}/inbox/{reference}/"
    actions = set(AuditEntry.objects.filter(reference=reference).values_list("action", flat=True))
    assert actions == {
        Action.RECEIVED,
        Action.VIEWED,
        Action.REVIEWED,
        Action.DOWNLOADED,
        Action.PRINTED,
    }

    # A clinician of clinic B cannot see them.
    other = new_page(chromium)
    sign_in(other, base, bo.user.email, PASSWORD, bo.device)
    assert other.goto(detail_url).status == 404
    assert other.goto(detail_url + "fhir.json").status == 404
    assert NAME not in other.content()

    # The patient withdraws them: gone from the database.
    patient.goto(f"{base}/en/withdraw/")
    assert_clean_at_both_widths(patient, "withdraw")
    patient.get_by_label("Your reference").fill(reference)
    fill_birth_date(patient, BORN["birth_day"], BORN["birth_month"], BORN["birth_year"])
    submit(patient, "Delete my answers")
    assert patient.locator("h1").inner_text() == "Your answers have been deleted"
    assert_clean_at_both_widths(patient, "withdrawn")
    assert not Submission.objects.filter(reference=reference).exists()
    assert clinician.goto(detail_url).status == 404

    # Another submission is purged once the clock passes the retention period.
    later_client = Client()
    finished(later_client, clinic_a.code)
    later = send(later_client)
    just_before = later.delete_after - datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        patient.goto(f"{base}/en/withdraw/")
    assert Submission.objects.filter(pk=later.pk).exists()
    with mock.patch("django.utils.timezone.now", return_value=later.delete_after):
        patient.goto(f"{base}/en/withdraw/")
    assert not Submission.objects.filter(pk=later.pk).exists()
    assert AuditEntry.objects.filter(reference=later.reference, action=Action.EXPIRED).exists()
    for page in (patient, clinician, other):
        page.context.close()


def test_every_other_state_passes_axe(chromium, live_server, settings):
    settings.SUBMISSIONS_TRIES_PER_HOUR = 3
    base = live_server.url
    clinic = Clinic.create_with_code("Clinic A")
    admin = make_clinician(clinic, "ada@clinic-a.example", Role.ADMIN)

    # A clinic with nothing yet, and its admin's empty audit log.
    page = new_page(chromium)
    sign_in(page, base, admin.user.email, PASSWORD, admin.device)
    page.goto(f"{base}/en/clinics/{clinic.code}/inbox/")
    assert page.locator("[data-inbox-empty]").count() == 1
    assert_clean_at_both_widths(page, "inbox-empty")
    page.goto(f"{base}/en/clinics/{clinic.code}/audit/")
    assert page.locator("[data-audit-empty]").count() == 1
    assert_clean_at_both_widths(page, "audit-empty")

    # Someone with no answers yet, then without a clinic's link.
    patient = new_page(chromium)
    patient.goto(f"{base}/en/send-answers/")
    assert patient.locator("h1").inner_text() == "There are no answers to send"
    assert_clean_at_both_widths(patient, "no-answers")
    patient.goto(f"{base}/en/screener/")
    answer(patient, {})
    assert_clean_at_both_widths(patient, "result-without-clinic")
    with patient.expect_navigation():
        patient.get_by_role("link", name="Send my answers to a clinic").click()
    assert_clean_at_both_widths(patient, "choose-clinic")
    patient.get_by_label("Your clinic's code").fill("AAAAAAA")
    submit(patient, "Continue")
    assert "We cannot find a clinic" in patient.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(patient, "choose-clinic-error")
    patient.get_by_label("Your clinic's code").fill(clinic.code.lower())
    submit(patient, "Continue")
    assert patient.locator("h1").inner_text() == "Send your answers to Clinic A"
    patient.get_by_label("Your full name").fill(NAME)
    fill_birth_date(patient, BORN["birth_day"], BORN["birth_month"], BORN["birth_year"])
    patient.get_by_label("I want to send my answers").check()
    submit(patient, "Send my answers")
    reference = patient.locator("[data-reference]").inner_text()

    # The inbox and audit log with an entry, and a search that finds nothing.
    page.goto(f"{base}/en/clinics/{clinic.code}/inbox/")
    page.get_by_label("Find by reference or name").fill("Nobody Atall")
    submit(page, "Search")
    assert "0 matches" in page.locator("[data-search-result]").inner_text()
    assert_clean_at_both_widths(page, "inbox-no-match")
    page.goto(f"{base}/en/clinics/{clinic.code}/inbox/{reference}/")
    page.goto(f"{base}/en/clinics/{clinic.code}/audit/")
    assert page.locator(f'tr[data-reference="{reference}"]').count() == 2
    assert_clean_at_both_widths(page, "audit")

    # Withdrawing: the wrong date, then too many tries.
    patient.goto(f"{base}/en/withdraw/")
    patient.get_by_label("Your reference").fill(reference)
    fill_birth_date(patient, "1", "1", "1990")
    submit(patient, "Delete my answers")
    assert "We could not find answers" in patient.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(patient, "withdraw-not-found")
    fill_birth_date(patient, "", "", "")
    submit(patient, "Delete my answers")
    assert "Enter your date of birth" in patient.locator(".error-summary").inner_text()
    assert_clean_at_both_widths(patient, "withdraw-errors")
    fill_birth_date(patient, "2", "2", "1990")
    submit(patient, "Delete my answers")
    # The fourth try this hour is refused, even with the right date.
    fill_birth_date(patient, BORN["birth_day"], BORN["birth_month"], BORN["birth_year"])
    submit(patient, "Delete my answers")
    assert patient.locator("h1").inner_text() == "Too many tries"
    assert_clean_at_both_widths(patient, "too-many-tries")
    assert Submission.objects.filter(reference=reference).exists()

    # The clinic deletes them once copied: asked to be sure, then told.
    page.goto(f"{base}/en/clinics/{clinic.code}/inbox/{reference}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Delete these answers").click()
    assert page.locator("h1").inner_text() == f"Delete answers {reference}?"
    assert_clean_at_both_widths(page, "delete")
    submit(page, "Delete these answers")
    assert page.locator(f'[data-deleted="{reference}"]').count() == 1
    assert_clean_at_both_widths(page, "inbox-deleted")
    assert not Submission.objects.filter(reference=reference).exists()
    page.context.close()
    patient.context.close()


def test_sending_reviewing_and_withdrawing_by_keyboard_alone(chromium, live_server):
    base = live_server.url
    clinic = Clinic.create_with_code("Clinic A")
    page = new_page(chromium, 320)
    page.goto(f"{base}/en/screener/c/{clinic.code}/")
    answer(page, {})
    tab_to(page, "[data-send-offer] a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, 'input[name="full_name"]')
    page.keyboard.type(NAME)
    for part in ("birth_day", "birth_month", "birth_year"):
        tab_to(page, f'input[name="{part}"]')
        page.keyboard.type(BORN[part])
    tab_to(page, 'input[name="consent"]')
    page.keyboard.press("Space")
    tab_to(page, '[data-action="send-answers"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reference = page.locator("[data-reference]").inner_text()
    assert Submission.objects.filter(reference=reference).exists()

    # The clinician finds, opens and reviews them by keyboard too.
    person = make_clinician(clinic, "kay@clinic-a.example")
    clinician = new_page(chromium, 320)
    sign_in(clinician, base, person.user.email, PASSWORD, person.device)
    clinician.goto(f"{base}/en/clinics/{clinic.code}/inbox/")
    tab_to(clinician, 'input[name="q"]')
    clinician.keyboard.type(reference)
    with clinician.expect_navigation():
        clinician.keyboard.press("Enter")
    tab_to(clinician, f'a[href$="/inbox/{reference}/"]')
    with clinician.expect_navigation():
        clinician.keyboard.press("Enter")
    tab_to(clinician, "main form button")
    with clinician.expect_navigation():
        clinician.keyboard.press("Enter")
    assert clinician.locator('[data-reviewed="yes"]').count() == 1
    clinician.context.close()

    tab_to(page, 'main a[href="/en/withdraw/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, 'input[name="reference"]')
    page.keyboard.type(reference)
    for part in ("birth_day", "birth_month", "birth_year"):
        tab_to(page, f'input[name="{part}"]')
        page.keyboard.type(BORN[part])
    tab_to(page, '[data-action="withdraw"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Your answers have been deleted"
    assert not Submission.objects.filter(reference=reference).exists()
    assert page.csp_violations() == []
    page.context.close()


def test_nothing_is_sent_from_a_session_that_was_cleared(chromium, live_server):
    """After "Clear my answers", the send page has nothing to send."""
    base = live_server.url
    clinic = Clinic.create_with_code("Clinic A")
    page = new_page(chromium)
    page.goto(f"{base}/en/screener/c/{clinic.code}/")
    answer(page, {})
    with page.expect_navigation():
        page.get_by_role("button", name="Clear my answers").click()
    page.goto(f"{base}/en/send-answers/")
    assert page.locator("h1").inner_text() == "There are no answers to send"
    assert Submission.objects.count() == 0
    assert timezone.now()  # the clock is the real one here
    page.context.close()


def test_answers_with_every_flag_still_print_on_one_a4_page(chromium, live_server):
    from tests.test_screener_browser import EVERY_FLAG, EVERYTHING

    clinic = Clinic.create_with_code("St Elsewhere Dermatology, Outpatients and Day Unit")
    person = make_clinician(clinic, "hal@elsewhere.example")
    client = Client()
    finished(client, clinic.code, EVERYTHING)
    submission = send(
        client,
        {
            **SEND,
            "patient_number": "A-000000000000000000000000001",
            "full_name": "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff",
        },
    )
    assert {flag["id"] for flag in submission.details["flags"]} == EVERY_FLAG
    page = new_page(chromium)
    sign_in(page, live_server.url, person.user.email, PASSWORD, person.device)
    page.goto(f"{live_server.url}/en/clinics/{clinic.code}/inbox/{submission.reference}/print/")
    assert sorted(flags_shown(page, "main")) == sorted(EVERY_FLAG)
    assert_clean_at_both_widths(page, "print-every-flag")
    assert print_pages(page, "submission-print-every-flag") == 1
    page.context.close()


def test_a_clinician_deletes_answers_by_keyboard_alone_without_javascript(chromium, live_server):
    base = live_server.url
    clinic = Clinic.create_with_code("Clinic A")
    patient = Client()
    finished(patient, clinic.code)
    reference = send(patient).reference
    person = make_clinician(clinic, "kay@clinic-a.example")
    context = chromium.new_context(
        viewport={"width": 320, "height": 768}, java_script_enabled=False
    )
    clinician = watch(context.new_page())
    sign_in(clinician, base, person.user.email, PASSWORD, person.device)
    clinician.goto(f"{base}/en/clinics/{clinic.code}/inbox/{reference}/")
    tab_to(clinician, f'a[href$="/inbox/{reference}/delete/"]')
    with clinician.expect_navigation():
        clinician.keyboard.press("Enter")
    assert clinician.locator("h1").inner_text() == f"Delete answers {reference}?"
    tab_to(clinician, "main form button")
    with clinician.expect_navigation():
        clinician.keyboard.press("Enter")
    assert clinician.locator(f'[data-deleted="{reference}"]').count() == 1
    assert clinician.evaluate("document.documentElement.scrollWidth") <= 320
    assert not Submission.objects.filter(reference=reference).exists()
    context.close()
