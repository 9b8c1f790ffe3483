"""Every new page, tried by each of the named people: the clinic's inbox only
for clinic A's signed-in clinicians, its audit log only for clinic A's admin,
a 404 for clinic B, sign-in for the patient and the outsider. The patient's
pages answer everyone, and show only what that person's own session holds."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from submissions.models import AuditEntry, Submission
from tests.submission_people import NAME, SEND, finished, send

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
)
SIGN_IN = "/en/clinics/sign-in/"


@pytest.fixture
def sent(clinic_a) -> Submission:
    client = Client()
    finished(client, clinic_a.code)
    return send(client)


# (what, method, path, clinic A's admin, clinic A's clinician)
PAGES = [
    ("inbox", "get", "/en/clinics/{code}/inbox/", OK, OK),
    ("inbox search", "post", "/en/clinics/{code}/inbox/", OK, OK),
    ("answers", "get", "/en/clinics/{code}/inbox/{ref}/", OK, OK),
    ("print", "get", "/en/clinics/{code}/inbox/{ref}/print/", OK, OK),
    ("FHIR download", "get", "/en/clinics/{code}/inbox/{ref}/fhir.json", OK, OK),
    ("mark as reviewed", "post", "/en/clinics/{code}/inbox/{ref}/reviewed/", FOUND, FOUND),
    ("delete: are you sure", "get", "/en/clinics/{code}/inbox/{ref}/delete/", OK, OK),
    ("delete", "post", "/en/clinics/{code}/inbox/{ref}/delete/", FOUND, FOUND),
    ("audit log", "get", "/en/clinics/{code}/audit/", OK, FORBIDDEN),
]
IDS = [page[0] for page in PAGES]


def _request(person, method: str, path: str):
    if method == "post":
        return person.client.post(path, {"q": NAME})
    return person.client.get(path)


def _path(path: str, sent: Submission) -> str:
    return path.format(code=sent.clinic.code, ref=sent.reference)


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinic_a_admin_may_use_every_page(admin_a, sent, what, method, path, admin, clinician):
    response = _request(admin_a, method, _path(path, sent))
    assert response.status_code == admin
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinic_a_clinician_may_read_but_not_the_audit_log(
    clinician_a, sent, what, method, path, admin, clinician
):
    response = _request(clinician_a, method, _path(path, sent))
    assert response.status_code == clinician
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinician_of_clinic_b_gets_404_and_nothing_of_clinic_a(
    clinician_b, sent, what, method, path, admin, clinician
):
    audited = AuditEntry.objects.count()
    response = _request(clinician_b, method, _path(path, sent))
    assert response.status_code == NOT_FOUND
    assert NAME.encode() not in response.content
    assert sent.reference.encode() not in response.content
    assert Submission.objects.get(pk=sent.pk).reviewed_at is None
    assert AuditEntry.objects.count() == audited


def test_clinic_bs_own_address_does_not_reach_clinic_as_submission(clinician_b, clinic_b, sent):
    for tail in ("", "print/", "fhir.json", "delete/"):
        path = f"/en/clinics/{clinic_b.code}/inbox/{sent.reference}/{tail}"
        assert clinician_b.client.get(path).status_code == NOT_FOUND
    # Clinic B has answers of its own, so its inbox lists and searches them.
    own = Client()
    finished(own, clinic_b.code)
    send(own, {**SEND, "full_name": "Bea Yolanda Tarrant"})
    inbox = clinician_b.client.get(f"/en/clinics/{clinic_b.code}/inbox/").content.decode()
    assert "You have answers from 1 patient." in inbox
    assert sent.reference not in inbox
    assert NAME not in inbox
    found = clinician_b.client.post(f"/en/clinics/{clinic_b.code}/inbox/", {"q": sent.reference})
    assert f'data-reference="{sent.reference}"' not in found.content.decode()
    assert "0 matches" in found.content.decode()


@pytest.mark.parametrize("who", ["patient", "outsider"])
@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_patient_and_outsider_are_sent_to_sign_in_or_refused(
    request, who, sent, what, method, path, admin, clinician
):
    person = request.getfixturevalue(who)
    response = _request(person, method, _path(path, sent))
    if method == "get":
        assert response.status_code == FOUND
        assert response["Location"].startswith(SIGN_IN + "?next=")
    else:
        assert response.status_code == FORBIDDEN
    assert NAME.encode() not in response.content
    assert Submission.objects.get(pk=sent.pk).reviewed_at is None


def test_an_unknown_or_malformed_reference_is_404(clinician_a, clinic_a):
    for ref in ("ITO-AAAA-AAAA", "ITO-0000-0000", "anything"):
        response = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/inbox/{ref}/")
        assert response.status_code == NOT_FOUND


# The patient's pages: (path, what someone with no finished screener gets)
PATIENT_PAGES = [
    ("/en/send-answers/", OK, "There are no answers to send"),
    ("/en/send-answers/clinic/", OK, "There are no answers to send"),
    ("/en/send-answers/sent/", FOUND, ""),
    ("/en/withdraw/", OK, "Take back answers you sent"),
    ("/en/withdraw/done/", OK, "Your answers have been deleted"),
]


@pytest.mark.parametrize("who", ["outsider", "patient", "clinician_a", "clinician_b"])
@pytest.mark.parametrize(("path", "status", "text"), PATIENT_PAGES)
def test_patient_pages_show_nobody_anything_of_anyone_else(request, who, sent, path, status, text):
    person = request.getfixturevalue(who)
    response = person.client.get(path)
    assert response.status_code == status
    assert text.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert sent.reference.encode() not in response.content
    assert NAME.encode() not in response.content


def test_the_confirmation_is_only_in_the_senders_own_session(clinic_a, outsider):
    client = Client()
    finished(client, clinic_a.code)
    submission = send(client)
    assert submission.reference in client.get("/en/send-answers/sent/").content.decode()
    assert outsider.client.get("/en/send-answers/sent/").status_code == FOUND
