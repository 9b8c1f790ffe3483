"""A clinic's referral link: the patient sees who sent them, the result says
whom to show it to, and the clinic sees how many used it, as numbers only."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
import zxingcpp
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from clinics.models import Clinic, WeeklyCount, week_of
from tests.clinic_people import walk_from_start
from tests.i18n import shown

pytestmark = pytest.mark.django_db


def test_referral_link_remembers_the_clinic_and_opens_the_start_page(clinic_a):
    client = Client()
    response = client.get(f"/en/screener/c/{clinic_a.code}/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/screener/"
    assert "no-store" in response["Cache-Control"]
    assert client.session["referral"] == clinic_a.code  # the code, nothing else
    start = client.get("/en/screener/").content.decode()
    assert "You were asked to do this check by Clinic A." in start


def test_referral_code_is_read_in_any_case(clinic_a):
    client = Client()
    assert client.get(f"/en/screener/c/{clinic_a.code.lower()}/")["Location"] == "/en/screener/"
    assert client.session["referral"] == clinic_a.code


def test_start_page_without_a_referral_names_no_clinic(clinic_a):
    assert b"You were asked to do this check by" not in Client().get("/en/screener/").content


@pytest.mark.parametrize("code", ["ZZZZZZZ", "nope", "a" * 40, "%3Cscript%3E"])
def test_unknown_code_shows_a_clear_page_with_the_ordinary_screener(db, code):
    client = Client()
    response = client.get(f"/en/screener/c/{code}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    body = response.content.decode()
    assert "This clinic link is not in use" in body
    assert 'href="/en/screener/"' in body
    assert "You can still do the check" in body
    assert not response.cookies


def test_retired_clinics_link_shows_the_same_clear_page(clinic_a):
    call_command("retireclinic", clinic_a.code, stdout=io.StringIO())
    response = Client().get(f"/en/screener/c/{clinic_a.code}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"This clinic link is not in use" in response.content
    assert b"Clinic A" not in response.content


def test_result_and_its_printout_say_to_show_it_to_the_clinic(clinic_a):
    client = Client()
    client.get(f"/en/screener/c/{clinic_a.code}/")
    _url, html = walk_from_start(client, {"pregnant": "yes"})
    screen, printout = html.split('class="print-summary"', 1)
    assert "<h2>Show this to Clinic A</h2>" in screen
    assert ">Show this to Clinic A</h2>" in printout
    assert "Show this to your clinician" not in html


def test_result_without_a_referral_says_show_it_to_your_clinician(db):
    _url, html = walk_from_start(Client(), {})
    assert html.count("Show this to your clinician") == 2


def test_clinic_name_is_shown_as_text_never_as_markup(db):
    clinic = Clinic.create_with_code('<b onclick="x()">Bold</b> & Co')
    client = Client()
    client.get(f"/en/screener/c/{clinic.code}/")
    start = client.get("/en/screener/").content.decode()
    assert "&lt;b onclick=&quot;x()&quot;&gt;Bold&lt;/b&gt; &amp; Co" in start
    assert "<b onclick" not in start
    _url, html = walk_from_start(client, {})
    assert "<b onclick" not in html


def test_started_and_finished_are_counted_for_this_week_once_per_journey(clinic_a, clinic_b):
    client = Client()
    client.get(f"/en/screener/c/{clinic_a.code}/")
    result_url, _html = walk_from_start(client, {})
    client.get(result_url)  # seeing the result again is the same journey
    row = WeeklyCount.objects.get(clinic=clinic_a)
    assert (row.started, row.finished) == (1, 1)
    assert row.week == week_of(timezone.localdate())
    assert row.week.weekday() == 0  # ISO weeks start on Monday
    assert not WeeklyCount.objects.filter(clinic=clinic_b).exists()

    # A second patient starts but does not finish.
    other = Client()
    other.get(f"/en/screener/c/{clinic_a.code}/")
    walk_from_start(other, {}, stop_after=2)
    row.refresh_from_db()
    assert (row.started, row.finished) == (2, 1)


def test_a_journey_without_the_link_is_not_counted(clinic_a):
    walk_from_start(Client(), {})
    assert not WeeklyCount.objects.exists()


def test_counts_keep_only_numbers(clinic_a):
    client = Client()
    client.get(f"/en/screener/c/{clinic_a.code}/")
    walk_from_start(client, {"pregnant": "yes"})
    fields = {field.name for field in WeeklyCount._meta.get_fields()}
    assert fields == {"id", "clinic", "week", "started", "finished"}


def test_clinic_sees_its_counts_per_week(clinician_a, clinic_a):
    for finish in (True, False):
        patient = Client()
        patient.get(f"/en/screener/c/{clinic_a.code}/")
        walk_from_start(patient, {}, stop_after=None if finish else 1)
    page = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").content.decode()
    row = WeeklyCount.objects.get(clinic=clinic_a)
    this_week = f'data-week="{row.iso_week}"'
    assert this_week in page
    week_row = page.split(this_week, 1)[1].split("</tr>", 1)[0]
    assert '<td class="counts__number" data-started>2</td>' in week_row
    assert '<td class="counts__number" data-finished>1</td>' in week_row
    assert "In all: 2 started, 1 finished." in page
    assert page.count("data-week=") == 12


def test_clinic_page_shows_the_link_and_a_qr_code_that_reads_as_the_link(clinician_a, clinic_a):
    page = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").content.decode()
    link = f"http://testserver/en/screener/c/{clinic_a.code}/"
    assert f'<a href="{link}" data-referral-link>{link}</a>' in page
    assert '<svg role="img"' in page
    png = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/qr.png")
    assert png["Content-Type"] == "image/png"
    (read,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert read.text == link
    svg = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml")
    assert b"<script" not in svg.content


def test_handout_exists_in_every_language_of_the_site(clinician_a, clinic_a):
    page = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").content.decode()
    for language, _name in settings.LANGUAGES:
        path = f"/{language}/clinics/{clinic_a.code}/handout/"
        assert f'href="{path}"' in page
        handout = clinician_a.client.get(path)
        assert handout.status_code == HTTPStatus.OK
        body = handout.content.decode()
        assert f'<html lang="{language}">' in body
        assert f"http://testserver/{language}/screener/c/{clinic_a.code}/" in body
        assert body.count("<li>") >= 3
        assert shown(language, "Show your result to %(clinic)s.") % {"clinic": "Clinic A"} in body


def test_content_pages_still_set_no_cookie_for_a_referred_patient(patient):
    response = patient.client.get("/en/how-it-works/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
