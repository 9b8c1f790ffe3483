"""Signing in with a password and a second factor; what goes wrong gets a
clear message and a 4xx, never a 500."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.views import SEEN_KEY
from tests.clinic_people import (
    PASSWORD,
    RECOVERY_CODE,
    code_for,
    make_clinician,
    sign_in,
    walk_from_start,
)

pytestmark = pytest.mark.django_db

SIGN_IN = "/en/clinics/sign-in/"
CODE = "/en/clinics/sign-in/code/"


@pytest.fixture
def carla(clinic_a):
    """A clinician of clinic A, not yet signed in."""
    return make_clinician(clinic_a, "carla@clinic-a.example")


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def test_clinician_signs_in_with_password_and_code(carla, clinic_a):
    response = carla.client.post(SIGN_IN, {"email": "Carla@Clinic-A.example", "password": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST  # nothing typed
    response = carla.client.post(SIGN_IN, {"email": "Carla@Clinic-A.example", "password": PASSWORD})
    assert response["Location"] == CODE
    # The password alone signs no one in.
    assert carla.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND
    response = carla.client.post(CODE, {"code": code_for(carla.device)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/clinics/"
    page = carla.client.get(f"/en/clinics/{clinic_a.code}/")
    assert page.status_code == HTTPStatus.OK
    assert b"Signed in as carla@clinic-a.example" in page.content


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(carla, clinic_a):
    wanted = f"/en/clinics/{clinic_a.code}/handout/"
    response = carla.client.get(wanted)
    assert response["Location"] == f"{SIGN_IN}?next=%2Fen%2Fclinics%2F{clinic_a.code}%2Fhandout%2F"
    carla.client.post(
        SIGN_IN,
        {"email": carla.user.email, "password": PASSWORD, "next": wanted},
    )
    assert carla.client.post(CODE, {"code": code_for(carla.device)})["Location"] == wanted

    other = make_clinician(clinic_a, "otto@clinic-a.example")
    other.client.post(
        SIGN_IN,
        {
            "email": other.user.email,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert other.client.post(CODE, {"code": code_for(other.device)})["Location"] == "/en/clinics/"


def test_wrong_password_is_refused_with_a_clear_message(carla):
    response = sign_in(carla, password="not my password at all")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"The email address or password is not right" in response.content
    assert response.context["form"].errors
    assert carla.client.get(CODE)["Location"] == SIGN_IN


def test_unknown_email_gets_the_same_message_as_a_wrong_password(db):
    response = Client().post(SIGN_IN, {"email": "nobody@example.com", "password": "whatever it is"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"The email address or password is not right" in response.content


def test_wrong_code_is_refused_with_a_clear_message(carla, clinic_a):
    response = sign_in(carla, code="000000" if code_for(carla.device) != "000000" else "111111")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"This code does not work" in response.content
    assert carla.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND


def test_code_that_is_not_a_code_is_refused(carla):
    response = sign_in(carla, code="12 34")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Enter the 6-digit code from your app, or a recovery code" in response.content


def test_a_code_works_once(carla, clinic_a):
    code = code_for(carla.device)
    assert sign_in(carla, code=code).status_code == HTTPStatus.FOUND
    carla.client.post("/en/clinics/sign-out/")
    again = sign_in(carla, code=code)
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert b"works once" in again.content
    assert carla.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND


def test_recovery_code_signs_in_once(carla, clinic_a):
    assert sign_in(carla, code=RECOVERY_CODE.upper()).status_code == HTTPStatus.FOUND
    page = carla.client.get(f"/en/clinics/{clinic_a.code}/")
    assert b"You have 0 recovery codes left" in page.content
    carla.client.post("/en/clinics/sign-out/")
    assert sign_in(carla, code=RECOVERY_CODE).status_code == HTTPStatus.BAD_REQUEST


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(carla, clinic_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(carla, password="wrong password").status_code == HTTPStatus.BAD_REQUEST
    locked = sign_in(carla, password="wrong password")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"Your account is locked for now" in locked.content
    assert b"Wait 15 minutes" in locked.content
    # Now even the right password and code are refused, from any browser.
    carla.client = Client()
    right = sign_in(carla)
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert carla.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND


def test_wrong_codes_count_towards_the_lockout(carla, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # let the lockout, not the app's own pause, answer
    wrong = "000000" if code_for(carla.device) != "000000" else "111111"
    carla.client.post(SIGN_IN, {"email": carla.user.email, "password": PASSWORD})
    statuses = [
        carla.client.post(CODE, {"code": wrong}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [HTTPStatus.BAD_REQUEST] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS
    assert sign_in(carla).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_quick_second_wrong_code_is_told_to_wait(carla):
    # django-otp pauses a device after a wrong code, doubling each time.
    carla.client.post(SIGN_IN, {"email": carla.user.email, "password": PASSWORD})
    wrong = "000000" if code_for(carla.device) != "000000" else "111111"
    assert carla.client.post(CODE, {"code": wrong}).status_code == HTTPStatus.BAD_REQUEST
    response = carla.client.post(CODE, {"code": code_for(carla.device)})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Too many tries. Wait a minute" in response.content


def test_sign_in_and_sign_out_each_give_a_new_session_key(carla, clinic_a):
    carla.client.get("/en/screener/c/" + clinic_a.code + "/")
    before = session_key(carla.client)
    carla.client.post(SIGN_IN, {"email": carla.user.email, "password": PASSWORD})
    after_password = session_key(carla.client)
    carla.client.post(CODE, {"code": code_for(carla.device)})
    signed_in = session_key(carla.client)
    assert len({before, after_password, signed_in}) == 3
    response = carla.client.post("/en/clinics/sign-out/")
    assert response["Location"] == "/en/clinics/signed-out/"
    assert not Session.objects.filter(session_key=signed_in).exists()
    page = carla.client.get(response["Location"])
    assert b"You have signed out" in page.content
    assert carla.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND


def test_sign_out_needs_a_form_not_a_link(clinician_a, clinic_a):
    assert (
        clinician_a.client.get("/en/clinics/sign-out/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.OK


def test_clinician_session_lasts_30_minutes_without_use(clinician_a, clinic_a):
    clinician_a.client.get(f"/en/clinics/{clinic_a.code}/")
    assert clinician_a.client.session.get_expiry_age() == 30 * 60
    cookie = clinician_a.client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 30 * 60


def test_idle_clinician_is_signed_out_with_a_clear_message(clinician_a, clinic_a):
    session = clinician_a.client.session
    session[SEEN_KEY] -= 31 * 60
    session.save()
    key = session.session_key
    response = clinician_a.client.get(f"/en/clinics/{clinic_a.code}/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"You have been signed out" in response.content
    assert b"30 minutes" in response.content
    assert b"Clinic A" not in response.content
    assert not Session.objects.filter(session_key=key).exists()
    assert clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND


def test_expired_clinician_session_is_gone_on_the_server(clinician_a, clinic_a):
    # The database keeps the session for 30 minutes only: after that the
    # cookie, even if a browser still sent it, leads nowhere.
    key = session_key(clinician_a.client)
    expires = Session.objects.get(session_key=key).expire_date
    Session.objects.filter(session_key=key).update(expire_date=expires.replace(year=2000))
    response = clinician_a.client.post(
        f"/en/clinics/{clinic_a.code}/team/", {"email": "x@y.example"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"we signed you out after 30 minutes" in response.content


def test_patients_screener_session_keeps_its_24_hours(patient, clinic_a):
    assert patient.client.session.get_expiry_age() == 24 * 60 * 60
    cookie = patient.client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] in ("", 24 * 60 * 60)


def test_password_alone_never_reaches_a_clinic_page(carla, clinic_a):
    # Even a session signed in by password alone (as a bug elsewhere might
    # leave one) is refused: clinic pages need the second factor.
    carla.client.force_login(carla.user)
    response = carla.client.get(f"/en/clinics/{clinic_a.code}/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Clinic A" not in response.content


def test_code_page_without_a_password_first_goes_back_to_sign_in(db):
    client = Client()
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_clinician_of_a_retired_clinic_cannot_sign_in(carla, clinic_a):
    from django.core.management import call_command

    call_command("retireclinic", clinic_a.code.lower(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in(carla).status_code == HTTPStatus.BAD_REQUEST


CSRF_FORMS = [
    SIGN_IN,
    CODE,
    "/en/clinics/sign-out/",
    "/en/clinics/invitation/{token}/",
    "/en/clinics/set-up/authenticator/",
    "/en/clinics/{code}/team/",
    "/en/clinics/{code}/team/{member}/remove/",
    "/en/clinics/{code}/team/invitations/{invitation}/withdraw/",
]


@pytest.mark.parametrize("path", CSRF_FORMS)
def test_every_form_refuses_a_post_without_its_csrf_token(admin_a, clinic_a, path):
    from clinics.models import Invitation, Role

    invitation, token = Invitation.issue(clinic_a, "ivy@clinic-a.example", Role.CLINICIAN)
    member = make_clinician(clinic_a, "colin@clinic-a.example")
    admin_a.client.handler.enforce_csrf_checks = True
    url = path.format(
        code=clinic_a.code, token=token, member=member.clinician.pk, invitation=invitation.pk
    )
    response = admin_a.client.post(url, {"email": "x@y.example", "password": "p", "code": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Sorry, we could not accept that form" in response.content
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert TOTPDevice.objects.filter(user=member.user).exists()


def test_every_sign_in_form_carries_its_csrf_token(clinician_a, clinic_a):
    client = Client(enforce_csrf_checks=True)
    page = client.get(SIGN_IN)
    assert b"csrfmiddlewaretoken" in page.content
    assert b'autocomplete="current-password"' in page.content


def test_patient_journey_keeps_working_for_a_signed_in_clinician(clinician_a, clinic_a):
    # A clinician trying their own link in the same browser stays signed in.
    clinician_a.client.get(f"/en/screener/c/{clinic_a.code}/")
    _url, html = walk_from_start(clinician_a.client, {})
    assert "Show this to Clinic A" in html
    assert clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.OK


def test_a_failed_try_is_recorded_without_the_password_or_code(carla):
    from axes.models import AccessAttempt

    sign_in(carla, password="my secret guess")
    carla.client.post(SIGN_IN, {"email": carla.user.email, "password": PASSWORD})
    carla.client.post(CODE, {"code": "999999" if code_for(carla.device) != "999999" else "888888"})
    recorded = " ".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
    assert AccessAttempt.objects.get().failures_since_start == 2
    assert "my secret guess" not in recorded
    assert "999999" not in recorded
    assert "888888" not in recorded
