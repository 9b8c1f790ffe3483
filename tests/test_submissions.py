"""Answers sent to a clinic: sending only with consent, encryption at rest,
withdrawing, the inbox, the audit log and deletion after the retention period."""

from __future__ import annotations

import base64
import datetime
import io
import json
import logging
import os
import re
import subprocess
import sys
from http import HTTPStatus
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from professionals.fhir import questionnaire
from screener import rules
from submissions import crypto
from submissions.models import (
    REFERENCE_ALPHABET,
    REFERENCE_RE,
    Action,
    AuditEntry,
    Submission,
    new_reference,
    normalise_reference,
)
from submissions.retention import purge
from tests.submission_people import (
    BORN,
    BORN_ISO,
    FLAGGED,
    NAME,
    PATIENT_NUMBER,
    SEND,
    finished,
    send,
)
from tests.test_fhir import check_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(clinic_a) -> Client:
    client = Client()
    finished(client, clinic_a.code)
    return client


def main(html: str) -> str:
    return html.split('id="main-content"', 1)[1].split("</main>", 1)[0]


# --- References ----------------------------------------------------------------------


def test_references_read_like_ito_and_have_no_look_alike_characters():
    drawn = {new_reference() for _ in range(300)}
    assert len(drawn) == 300
    for reference in drawn:
        assert REFERENCE_RE.match(reference), reference
        assert not set(reference[4:].replace("-", "")) & set("0O1IL2Z5S8B6GUVDQ")
    assert set(REFERENCE_ALPHABET) == set("ACEFHJKMNPRTWXY3479")


@pytest.mark.parametrize(
    "typed", ["ITO-7KX4-9FC3", "ito-7kx4-9fc3", " ito 7kx4 9fc3 ", "7KX49FC3", "ITO7KX49FC3"]
)
def test_a_reference_is_read_however_it_is_typed(typed):
    assert normalise_reference(typed) == "ITO-7KX4-9FC3"


@pytest.mark.parametrize("typed", ["", "ITO-7KX4-9FC", "ITO-0000-0000", "ITO-7KX4-9FC3-X", "é" * 8])
def test_what_cannot_be_a_reference_is_refused(typed):
    assert normalise_reference(typed) is None


# --- Sending --------------------------------------------------------------------------


def test_the_result_offers_to_send_the_answers_to_the_clinic_of_the_link(sender):
    html = sender.get("/en/screener/result/").content.decode()
    assert "Send my answers to Clinic A" in html
    assert 'href="/en/send-answers/"' in html


def test_the_send_page_says_what_is_sent_who_sees_it_when_it_is_deleted(sender, settings):
    settings.CLINIC_RETENTION_DAYS = 30
    response = sender.get("/en/send-answers/")
    html = main(response.content.decode())
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    day = timezone.localdate() + datetime.timedelta(days=30)
    assert f"We delete them on {day.day} {day:%B %Y}, 30 days after you send them." in html
    assert "Only the clinicians of Clinic A" in html
    assert "Your name and date of birth" in html
    assert 'href="/en/withdraw/"' in html
    # The consent box is there and not ticked.
    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", html).group(0)
    assert 'type="checkbox"' in consent
    assert "checked" not in consent


def test_sending_with_consent_stores_one_submission_and_confirms_with_a_reference(sender):
    submission = send(sender)
    page = sender.get("/en/send-answers/sent/").content.decode()
    assert REFERENCE_RE.match(submission.reference)
    assert submission.reference in page
    day = timezone.localtime(submission.delete_after).date()
    assert f"We delete your answers on {day.day} {day:%B %Y}." in page
    assert "If the clinic does not get in touch" in page
    assert submission.clinic.name == "Clinic A"
    details = submission.details
    assert details["name"] == NAME
    assert details["birth_date"] == BORN_ISO
    assert details["patient_number"] == PATIENT_NUMBER
    assert details["rules_version"] == rules.RULES_VERSION
    # What the person agreed to, and when, is kept with the answers.
    assert details["consent"]["wording"].startswith("I want to send my answers, my name")
    assert details["consent"]["at"] <= timezone.now().isoformat()
    assert {flag["id"] for flag in details["flags"]} == {"pregnancy", "face"}
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.get().action == Action.RECEIVED
    # Thirty days by default, to the second.
    assert submission.delete_after - submission.created_at == datetime.timedelta(days=30)


def test_the_database_holds_no_answer_name_or_date_of_birth_in_clear(sender):
    send(sender)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM submissions_submission")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
        cursor.execute("SELECT * FROM submissions_auditentry")
        stored += " ".join(str(value) for row in cursor.fetchall() for value in row)
    for clear in (
        NAME,
        "Quenby",
        BORN_ISO,
        "27/03/1987",
        "1987",
        PATIENT_NUMBER,
        "pregnan",
        "hands",
        "implanted_device",
        "face",
        "severity",
    ):
        assert clear.lower() not in stored.lower(), clear


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent": ""}, "Tick the box to say you want to send your answers"),
        ({"full_name": "  "}, "Enter your full name"),
        ({"birth_day": "", "birth_month": "", "birth_year": ""}, "Enter your date of birth"),
        ({"birth_month": ""}, "Date of birth must include a month"),
        ({"birth_day": "31", "birth_month": "2"}, "Date of birth must be a real date"),
        ({"birth_month": "13"}, "Date of birth must be a real date"),
        ({"birth_day": "x"}, "Date of birth must be a real date"),
        ({"birth_year": "87"}, "Year must include 4 numbers"),
        ({"birth_year": "2999"}, "Date of birth must be in the past"),
        ({"birth_year": "1850"}, "Date of birth must be after 1900"),
    ],
)
def test_without_consent_or_a_real_date_nothing_is_stored(sender, change, message):
    data = {k: v for k, v in {**SEND, **change}.items() if v != ""}
    response = sender.post("/en/send-answers/", data)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error:" in html
    assert Submission.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_someone_without_a_clinic_link_sends_with_the_clinics_code(clinic_a):
    client = Client()
    html = finished(client, None)
    assert "Send my answers to a clinic" in html
    response = client.get("/en/send-answers/")
    assert response["Location"] == "/en/send-answers/clinic/"
    asked = client.get("/en/send-answers/clinic/")
    assert asked.status_code == HTTPStatus.OK
    assert "Which clinic do you want to send your answers to?" in asked.content.decode()
    wrong = client.post("/en/send-answers/clinic/", {"code": "AAAAAAA"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "We cannot find a clinic with this code" in wrong.content.decode()
    right = client.post("/en/send-answers/clinic/", {"code": clinic_a.code.lower()})
    assert right["Location"] == "/en/send-answers/"
    assert "Send your answers to Clinic A" in client.get("/en/send-answers/").content.decode()
    assert send(client).clinic == clinic_a


def test_without_finished_answers_there_is_nothing_to_send(clinic_a):
    client = Client()
    client.get(f"/en/screener/c/{clinic_a.code}/")
    assert "There are no answers to send" in client.get("/en/send-answers/").content.decode()
    response = client.post("/en/send-answers/", SEND)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Submission.objects.count() == 0


# --- Withdrawing ---------------------------------------------------------------------


def withdraw(client: Client, reference: str, born: dict | None = None):
    return client.post("/en/withdraw/", {"reference": reference, **(born or BORN)})


def test_withdrawing_with_reference_and_date_of_birth_deletes_at_once(sender):
    submission = send(sender)
    response = withdraw(Client(), submission.reference.lower().replace("-", " "))
    assert response["Location"] == "/en/withdraw/done/"
    assert not Submission.objects.filter(pk=submission.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM submissions_submission")
        assert cursor.fetchone()[0] == 0
    entry = AuditEntry.objects.filter(action=Action.WITHDRAWN).get()
    assert entry.reference == submission.reference
    assert entry.actor == ""


def test_an_unknown_reference_and_a_wrong_date_get_the_same_answer(sender):
    submission = send(sender)
    unknown = withdraw(Client(), "ITO-AAAA-AAAA")
    wrong_date = withdraw(Client(), submission.reference, {**BORN, "birth_day": "28"})
    assert unknown.status_code == wrong_date.status_code == HTTPStatus.BAD_REQUEST
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"')
    assert strip.sub("", main(unknown.content.decode())) == strip.sub(
        "", main(wrong_date.content.decode())
    )
    assert "We could not find answers with this reference and date of birth" in main(
        unknown.content.decode()
    )
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_withdrawing_is_rate_limited_per_address(sender, settings):
    settings.SUBMISSIONS_TRIES_PER_HOUR = 5
    submission = send(sender)
    prober = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        assert withdraw(prober, f"ITO-AAAA-AAA{'ACEFH'[n]}").status_code == 400
    # Even the right answer is refused now, so guessing gains nothing.
    blocked = withdraw(prober, submission.reference)
    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many tries" in blocked.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()
    # Someone else, from another address, is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert withdraw(other, submission.reference).status_code == HTTPStatus.FOUND


def test_the_clinic_code_page_is_rate_limited_too(settings, clinic_a):
    settings.SUBMISSIONS_TRIES_PER_HOUR = 3
    client = Client()
    finished(client, None)
    for _ in range(3):
        client.post("/en/send-answers/clinic/", {"code": "AAAAAAA"})
    response = client.post("/en/send-answers/clinic/", {"code": clinic_a.code})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


# --- Encryption and keys -------------------------------------------------------------


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_keys_rotate_the_first_encrypts_and_all_decrypt(sender, settings):
    old, new = new_key(), new_key()
    settings.SUBMISSIONS_KEYS = [old]
    submission = send(sender)
    settings.SUBMISSIONS_KEYS = [new, old]
    assert Submission.objects.get().details["name"] == NAME
    out = io.StringIO()
    call_command("rotatesubmissionkeys", stdout=out)
    assert "Encrypted 1 submission(s)" in out.getvalue()
    settings.SUBMISSIONS_KEYS = [new]
    assert Submission.objects.get(pk=submission.pk).details["name"] == NAME
    settings.SUBMISSIONS_KEYS = [old]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(Submission.objects.get(pk=submission.pk).payload)


def _settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SUBMISSIONS"))}
    return subprocess.run(
        [sys.executable, "-c", "import iontoinfo.settings"],
        env={**clean, "DJANGO_SECRET_KEY": "k" * 60, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_key():
    result = _settings_in_subprocess({})
    assert result.returncode != 0
    assert "SUBMISSIONS_KEYS must be set when DEBUG is off" in result.stderr
    assert _settings_in_subprocess({"SUBMISSIONS_KEYS": new_key()}).returncode == 0
    assert _settings_in_subprocess({"DJANGO_DEBUG": "true"}).returncode == 0


@pytest.mark.parametrize("keys", ["not-a-key", f"{'a' * 44},x"])
def test_a_key_that_is_not_a_fernet_key_stops_the_site(keys):
    result = _settings_in_subprocess({"SUBMISSIONS_KEYS": keys})
    assert result.returncode != 0
    assert "SUBMISSIONS_KEYS must be Fernet keys" in result.stderr


# --- Retention ------------------------------------------------------------------------


def test_submissions_are_deleted_for_real_after_the_retention_period(sender, settings):
    settings.CLINIC_RETENTION_DAYS = 30
    submission = send(sender)
    sent = submission.created_at
    assert purge(sent + datetime.timedelta(days=30, seconds=-1)).submissions == 0
    assert Submission.objects.filter(pk=submission.pk).exists()
    purged = purge(sent + datetime.timedelta(days=30))
    assert purged.submissions == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM submissions_submission")
        assert cursor.fetchone()[0] == 0
    assert AuditEntry.objects.filter(action=Action.EXPIRED, reference=submission.reference)


def test_the_retention_setting_is_what_the_patient_is_told_and_what_is_kept(sender, settings):
    settings.CLINIC_RETENTION_DAYS = 7
    assert "7 days after you send them" in sender.get("/en/send-answers/").content.decode()
    submission = send(sender)
    assert submission.delete_after - submission.created_at == datetime.timedelta(days=7)


def test_the_audit_log_is_deleted_after_a_year(sender):
    submission = send(sender)
    entry = AuditEntry.objects.get(reference=submission.reference)
    later = entry.at + datetime.timedelta(days=365)
    Submission.objects.all().delete()
    assert purge(later - datetime.timedelta(seconds=1)).audit_entries == 0
    assert purge(later).audit_entries == 1
    assert not AuditEntry.objects.exists()


def test_the_purge_command_moves_with_the_clock(sender):
    send(sender)
    out = io.StringIO()
    call_command("purgesubmissions", stdout=out)
    assert "Deleted 0 submission(s)" in out.getvalue()
    later = timezone.now() + datetime.timedelta(days=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("purgesubmissions", stdout=out)
    assert "Deleted 1 submission(s) older than 30 days" in out.getvalue()
    assert not Submission.objects.exists()


def test_the_site_purges_as_it_runs_without_a_scheduler(sender, clinician_a):
    submission = send(sender)
    Submission.objects.filter(pk=submission.pk).update(
        delete_after=timezone.now() - datetime.timedelta(seconds=1)
    )
    # A clinician opening the inbox is enough: the row is gone from the database.
    response = clinician_a.client.get(f"/en/clinics/{submission.clinic.code}/inbox/")
    assert submission.reference not in response.content.decode()
    assert not Submission.objects.filter(pk=submission.pk).exists()


def test_a_patient_reaching_a_result_purges_too(sender, clinic_a):
    submission = send(sender)
    Submission.objects.filter(pk=submission.pk).update(
        delete_after=timezone.now() - datetime.timedelta(seconds=1)
    )
    with mock.patch("submissions.retention._last_run", {"at": float("-inf")}):
        finished(Client(), clinic_a.code)
    assert not Submission.objects.filter(pk=submission.pk).exists()


# --- The inbox ------------------------------------------------------------------------


def inbox_url(submission: Submission, tail: str = "") -> str:
    return f"/en/clinics/{submission.clinic.code}/inbox/{tail}"


def test_the_inbox_lists_newest_first_with_counts_and_review_state(clinic_a, clinician_a):
    first_client, second_client = Client(), Client()
    finished(first_client, clinic_a.code)
    finished(second_client, clinic_a.code, {})
    first = send(first_client)
    second = send(second_client, {**SEND, "full_name": "Bea Yolanda Tarrant"})
    response = clinician_a.client.get(inbox_url(first))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    assert html.index(second.reference) < html.index(first.reference)
    assert "You have answers from 2 patients." in html
    assert 'role="search"' in html
    row = re.search(rf'<tr data-reference="{first.reference}">.*?</tr>', html, re.S).group(0)
    assert NAME in row
    assert "27 Mar 1987" in row
    assert 'data-level="stop" data-count="1"' in row
    assert 'data-level="discuss" data-count="1"' in row
    assert 'data-level="check-cause" data-count="0"' in row
    assert "Not yet" in row
    other = re.search(rf'<tr data-reference="{second.reference}">.*?</tr>', html, re.S).group(0)
    assert 'data-level="stop" data-count="0"' in other
    # Italian writes a month's name in lower case.
    italian = clinician_a.client.get(inbox_url(first).replace("/en/", "/it/", 1)).content.decode()
    assert "27 mar 1987" in italian


def test_the_inbox_finds_by_reference_or_name_without_putting_them_in_the_address(
    sender, clinic_a, clinician_a
):
    submission = send(sender)
    other = Client()
    finished(other, clinic_a.code)
    send(other, {**SEND, "full_name": "Bea Yolanda Tarrant"})
    url = inbox_url(submission)
    by_reference = clinician_a.client.post(url, {"q": submission.reference.lower()})
    assert by_reference.status_code == HTTPStatus.OK
    assert "no-store" in by_reference["Cache-Control"]
    found = by_reference.content.decode()
    assert submission.reference in found
    assert "Tarrant" not in found
    by_name = clinician_a.client.post(url, {"q": "quenby-ash"}).content.decode()
    assert NAME in by_name
    assert "Tarrant" not in by_name
    nobody = clinician_a.client.post(url, {"q": "Nobody Here"}).content.decode()
    assert "0 matches" in nobody
    # The search form posts: no query string on the page's own address.
    assert 'method="post"' in by_name.split('class="inbox-search"')[0][-200:]


def flags_on(html: str) -> list[str]:
    return re.findall(r'data-flag="([a-z-]+)"', html)


def test_the_detail_shows_the_same_flags_as_the_patients_result(sender, clinician_a):
    result = sender.get("/en/screener/result/").content.decode()
    submission = send(sender)
    response = clinician_a.client.get(inbox_url(submission, f"{submission.reference}/"))
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    assert flags_on(html) == flags_on(result.split('class="print-summary"')[0]) != []
    assert NAME in html
    assert "27 March 1987" in html
    assert PATIENT_NUMBER in html
    assert f"Rules version {rules.RULES_VERSION}" in html
    entry = AuditEntry.objects.filter(action=Action.VIEWED).get()
    assert entry.actor == "carla@clinic-a.example"
    assert entry.reference == submission.reference


def test_marking_as_reviewed_is_kept_and_audited(sender, clinician_a):
    submission = send(sender)
    url = inbox_url(submission, f"{submission.reference}/")
    response = clinician_a.client.post(url + "reviewed/")
    assert response["Location"] == url
    assert "no-store" in response["Cache-Control"]
    assert 'data-reviewed="yes"' in clinician_a.client.get(url).content.decode()
    assert Submission.objects.get().reviewed_at is not None
    assert AuditEntry.objects.filter(action=Action.REVIEWED).count() == 1


def test_a_clinician_deletes_answers_at_once_after_being_asked_to_be_sure(sender, clinician_a):
    submission = send(sender)
    detail = inbox_url(submission, f"{submission.reference}/")
    assert "Delete these answers" in clinician_a.client.get(detail).content.decode()
    asked = clinician_a.client.get(detail + "delete/")
    assert asked.status_code == HTTPStatus.OK
    assert "no-store" in asked["Cache-Control"]
    assert f"Delete answers {submission.reference}?" in asked.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()  # asking deletes nothing

    response = clinician_a.client.post(detail + "delete/")
    assert response["Location"] == inbox_url(submission)
    assert not Submission.objects.filter(pk=submission.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM submissions_submission")
        assert cursor.fetchone()[0] == 0
    entry = AuditEntry.objects.filter(action=Action.DELETED).get()
    assert (entry.reference, entry.actor) == (submission.reference, "carla@clinic-a.example")
    # The inbox says so once, and lists them no more.
    inbox = clinician_a.client.get(inbox_url(submission)).content.decode()
    assert f"Answers {submission.reference} are deleted." in inbox
    assert f'data-reference="{submission.reference}"' not in inbox
    # Answers were here a moment ago: the empty inbox says neither "yet" nor
    # "0 patients sent", and offers no search of nothing.
    assert "No answers at the moment." in inbox
    assert "yet" not in main(inbox)
    assert "0 patients" not in inbox
    assert 'role="search"' not in inbox
    assert "are deleted" not in clinician_a.client.get(inbox_url(submission)).content.decode()
    # Gone for everyone: the clinic's pages, and the patient taking them back.
    assert clinician_a.client.get(detail).status_code == HTTPStatus.NOT_FOUND
    assert clinician_a.client.post(detail + "delete/").status_code == HTTPStatus.NOT_FOUND
    gone = withdraw(Client(), submission.reference)
    assert gone.status_code == HTTPStatus.BAD_REQUEST


def test_the_print_page_and_the_fhir_download_are_audited_and_the_fhir_validates(
    sender, clinician_a
):
    submission = send(sender)
    base = inbox_url(submission, f"{submission.reference}/")
    printed = clinician_a.client.get(base + "print/")
    assert printed.status_code == HTTPStatus.OK
    assert "no-store" in printed["Cache-Control"]
    assert flags_on(printed.content.decode()) == ["pregnancy", "face"]
    download = clinician_a.client.get(base + "fhir.json")
    assert download.status_code == HTTPStatus.OK
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in download["Content-Disposition"]
    resource = json.loads(download.content)
    check_fhir(resource, submission)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {Action.PRINTED, Action.DOWNLOADED} <= actions


def check_fhir(resource: dict, submission: Submission, origin: str = "http://testserver") -> None:
    from professionals.fhir import validate

    validate(resource)
    stored = submission.details["answers"]
    answers = rules.relevant({k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()})
    check_response(resource, questionnaire(origin), answers)
    (patient,) = resource["contained"]
    assert patient == {
        "resourceType": "Patient",
        "id": "patient",
        "name": [{"text": NAME}],
        "birthDate": BORN_ISO,
    }
    assert resource["subject"] == {"reference": "#patient"}
    assert resource["identifier"]["value"] == submission.reference
    assert PATIENT_NUMBER not in json.dumps(resource)


def test_the_audit_log_is_for_the_clinics_admin_and_never_holds_answers(
    sender, clinician_a, admin_a
):
    submission = send(sender)
    clinician_a.client.get(inbox_url(submission, f"{submission.reference}/"))
    response = admin_a.client.get(f"/en/clinics/{submission.clinic.code}/audit/")
    html = main(response.content.decode())
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    assert "carla@clinic-a.example" in html
    assert html.count(f'data-reference="{submission.reference}"') == 2  # received, viewed
    for secret in (NAME, "1987", "regnan"):
        assert secret not in html
    assert clinician_a.client.get(f"/en/clinics/{submission.clinic.code}/audit/").status_code == 403


# --- Nothing about the person in addresses, logs or cache keys --------------------------


def test_no_answer_name_or_date_in_addresses_logs_or_cache_keys(clinic_a, clinician_a, caplog):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    client = Client()
    original = client.request

    def recording(**request):
        seen.append(request.get("PATH_INFO", "") + "?" + request.get("QUERY_STRING", ""))
        response = original(**request)
        seen.append(response.get("Location", ""))
        return response

    client.request = recording
    finished(client, clinic_a.code)
    submission = send(client)
    base = inbox_url(submission, f"{submission.reference}/")
    for url in ("", "print/", "fhir.json"):
        clinician_a.client.get(base + url)
    clinician_a.client.post(inbox_url(submission), {"q": NAME})
    client.post("/en/withdraw/", {"reference": submission.reference, **BORN})
    store = cache._cache
    stored_keys = store if isinstance(store, dict) else store.get_client().keys("*")  # Redis
    keys = " ".join(str(key) for key in stored_keys)
    assert "submissions:tries:" in keys  # the limit's counter is there, keyed by a hash
    logged = caplog.text + " ".join(r.getMessage() for r in caplog.records)
    for where, text in (("address", " ".join(seen)), ("log", logged), ("cache key", keys)):
        for secret in (NAME, "Quenby", "Marisol", BORN_ISO, "1987", PATIENT_NUMBER, "pregnan"):
            assert secret.lower() not in text.lower(), (where, secret)
    for name, value in FLAGGED.items():
        assert f"{name}=" not in " ".join(seen), value


def test_the_privacy_page_states_the_lawful_basis_the_retention_and_how_to_withdraw(
    client, settings
):
    html = client.get("/en/privacy/").content.decode()
    assert "Answers you send to a clinic" in html
    assert "Article 9(2)(a)" in html
    assert f"{settings.CLINIC_RETENTION_DAYS} days after you send it" in html
    assert 'href="/en/withdraw/"' in html
    assert "after one year" in html
    assert settings.SUBMISSIONS_AUDIT_DAYS == 365


def test_sending_the_same_answers_twice_keeps_one_copy(sender):
    submission = send(sender)
    again = sender.post("/en/send-answers/", SEND)
    assert again["Location"] == "/en/send-answers/sent/"
    assert sender.get("/en/send-answers/")["Location"] == "/en/send-answers/sent/"
    assert list(Submission.objects.all()) == [submission]
    # Once withdrawn, the same answers can be sent again.
    Client().post("/en/withdraw/", {"reference": submission.reference, **BORN})
    assert sender.get("/en/send-answers/").status_code == HTTPStatus.OK
    assert send(sender).reference != submission.reference
