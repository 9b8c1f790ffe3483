"""Clinics and clinicians come only by invitation: the commands, the
invitation page, enrolling the authenticator app, and the clinic admin's team."""

from __future__ import annotations

import datetime
import io
import re
from base64 import b32decode
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from clinics.models import CODE_ALPHABET, Clinic, Clinician, Invitation, Role
from tests.clinic_people import PASSWORD, make_clinician, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "correct horse battery staple 42"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def site(settings):
    settings.IONTOINFO_CANONICAL_URL = "https://iontoinfo.example"
    return settings


def invitation_path(output: str) -> str:
    link = re.search(r"https://iontoinfo\.example(/en/clinics/invitation/[^/\s]+/)", output)
    assert link, output
    return link.group(1)


def code_from_key(html: str, steps_ahead: int = 0) -> str:
    key = re.search(r'<p class="secret-key" data-key>([A-Z2-7 ]+)</p>', html).group(1)
    secret = key.replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


def accept(client: Client, path: str, password: str = NEW_PASSWORD) -> str:
    """Set a password and enrol the app; returns the recovery codes page."""
    response = client.post(path, {"password1": password, "password2": password})
    assert response["Location"] == "/en/clinics/set-up/authenticator/"
    enrol = client.get(response["Location"]).content.decode()
    response = client.post("/en/clinics/set-up/authenticator/", {"code": code_from_key(enrol)})
    assert response["Location"] == "/en/clinics/set-up/recovery-codes/"
    return client.get(response["Location"]).content.decode()


# --- The commands -----------------------------------------------------------------------


def test_createclinic_prints_a_code_without_look_alike_characters(site):
    output = run("createclinic", "  Leeds   Skin Clinic ")
    code = re.search(r"Code: (\S+)", output).group(1)
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6,8}}", code)
    assert not set(code) & set("0O1IL2Z5S8B6GUVDQ")
    assert Clinic.objects.get(code=code).name == "Leeds Skin Clinic"
    assert f"https://iontoinfo.example/en/screener/c/{code}/" in output


def test_createclinic_refuses_an_empty_name(site):
    with pytest.raises(CommandError, match="name"):
        run("createclinic", "   ")


def test_inviteclinician_prints_a_one_time_link_valid_for_72_hours(site, clinic_a):
    output = run("inviteclinician", clinic_a.code.lower(), "Nia@Clinic-A.example", "--admin")
    invitation = Invitation.objects.get()
    assert invitation.email == "nia@clinic-a.example"
    assert invitation.role == Role.ADMIN
    hours = (invitation.expires_at - invitation.created_at) / datetime.timedelta(hours=1)
    assert hours == 72
    path = invitation_path(output)
    # Only the token's hash is stored.
    assert path.rsplit("/", 2)[1] not in invitation.token_hash
    assert "pass the link on yourself" in output
    assert not mail.outbox


def test_inviteclinician_emails_the_link_when_email_is_configured(site, clinic_a):
    site.EMAIL_CONFIGURED = True
    output = run("inviteclinician", clinic_a.code, "nia@clinic-a.example")
    assert "Sent by email" in output
    (message,) = mail.outbox
    assert message.to == ["nia@clinic-a.example"]
    assert "Clinic A" in message.subject
    assert "https://iontoinfo.example" + invitation_path(output) in message.body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE777", "a@b.example"], "No clinic in use"),
        (["{code}", "not an email"], "is not an email address"),
        (["{code}", "carla@clinic-a.example"], "already has an account"),
    ],
)
def test_inviteclinician_refuses_what_it_cannot_do(site, clinic_a, args, message):
    make_clinician(clinic_a, "carla@clinic-a.example")
    with pytest.raises(CommandError, match=message):
        run("inviteclinician", *[arg.format(code=clinic_a.code) for arg in args])


def test_inviteclinician_needs_the_sites_address(settings, clinic_a):
    settings.IONTOINFO_CANONICAL_URL = ""
    with pytest.raises(CommandError, match="IONTOINFO_CANONICAL_URL"):
        run("inviteclinician", clinic_a.code, "nia@clinic-a.example")


# --- Accepting an invitation -------------------------------------------------------------


def test_invited_clinician_sets_a_password_enrols_the_app_and_gets_recovery_codes(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    page = client.get(path)
    assert page.status_code == HTTPStatus.OK
    assert b"You are joining Clinic A as nia@clinic-a.example" in page.content
    codes_page = accept(client, path)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    # Shown once only.
    again = client.get("/en/clinics/set-up/recovery-codes/").content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))
    assert "shown already" in again
    # Signed in, with the second factor.
    assert client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.OK
    user = get_user_model().objects.get(username="nia@clinic-a.example")
    assert user.is_active
    assert user.clinician.clinic == clinic_a
    assert user.clinician.role == Role.CLINICIAN


def test_weak_or_mismatched_passwords_are_refused_with_clear_messages(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    weak = client.post(path, {"password1": "password", "password2": "password"})
    assert weak.status_code == HTTPStatus.BAD_REQUEST
    assert b"too short" in weak.content
    assert b"too common" in weak.content
    assert weak.content.decode().count("<title>Error: ") == 1
    like_email = client.post(
        path, {"password1": "nia@clinic-a.example", "password2": "nia@clinic-a.example"}
    )
    assert b"too similar" in like_email.content
    mismatch = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"})
    assert mismatch.status_code == HTTPStatus.BAD_REQUEST
    assert b"The two passwords are not the same" in mismatch.content


def test_wrong_code_while_enrolling_is_refused_and_the_account_stays_unusable(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    enrol = client.get("/en/clinics/set-up/authenticator/").content.decode()
    right = code_from_key(enrol)
    wrong = "123456" if right != "123456" else "654321"
    response = client.post("/en/clinics/set-up/authenticator/", {"code": wrong})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"This code does not work" in response.content
    # Until the app is confirmed, the password alone does not sign in.
    person = Client()
    response = person.post(
        "/en/clinics/sign-in/", {"email": "nia@clinic-a.example", "password": NEW_PASSWORD}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Invitation.objects.get().accepted_at is None


def test_enrolment_page_shows_a_qr_code_and_a_key_to_type(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = client.get("/en/clinics/set-up/authenticator/")
    html = response.content.decode()
    assert '<svg role="img"' in html
    assert "QR code to add iontoinfo to an authenticator app" in html
    assert re.search(r"data-key>[A-Z2-7]{4}( [A-Z2-7]{1,4})+<", html)
    assert "no-store" in response["Cache-Control"]


def test_used_invitation_cannot_be_used_again(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    accept(Client(), path)
    for method in ("get", "post"):
        response = getattr(Client(), method)(
            path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
        assert response.status_code == HTTPStatus.GONE
        assert b"This invitation has been used" in response.content


def test_expired_invitation_is_refused_with_a_clear_message(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = Client().get(path)
    assert response.status_code == HTTPStatus.GONE
    assert b"This invitation has expired" in response.content
    assert b"Ask your clinic admin" in response.content


def test_invitation_that_expires_while_enrolling_is_refused(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    enrol = client.get("/en/clinics/set-up/authenticator/").content.decode()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post("/en/clinics/set-up/authenticator/", {"code": code_from_key(enrol)})
    assert response.status_code == HTTPStatus.GONE
    assert not get_user_model().objects.get(username="nia@clinic-a.example").is_active


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300])
def test_unknown_invitation_link_is_a_clear_404(db, token):
    response = Client().get(f"/en/clinics/invitation/{token}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"This invitation link does not work" in response.content


def test_enrolment_page_without_an_invitation_is_refused(db):
    response = Client().get("/en/clinics/set-up/authenticator/")
    assert response.status_code == HTTPStatus.GONE
    assert b"Open your invitation link again" in response.content


# --- The clinic admin's team ----------------------------------------------------------------


def test_clinic_admin_invites_a_clinician_in_the_site(admin_a, clinic_a):
    team = f"/en/clinics/{clinic_a.code}/team/"
    response = admin_a.client.post(team, {"email": "Newt@Clinic-A.example"})
    assert response["Location"] == f"/en/clinics/{clinic_a.code}/team/invited/"
    shown = admin_a.client.get(response["Location"]).content.decode()
    link = re.search(
        r"data-invitation-link>http://testserver(/en/clinics/invitation/[^<]+)<", shown
    )
    assert link
    # Shown once.
    assert "data-invitation-link" not in admin_a.client.get(response["Location"]).content.decode()
    assert "newt@clinic-a.example" in admin_a.client.get(team).content.decode()
    newcomer = Client()
    accept(newcomer, link.group(1))
    assert newcomer.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.OK
    assert Clinician.objects.get(user__username="newt@clinic-a.example").role == Role.CLINICIAN


def test_clinic_admin_can_invite_another_admin(admin_a, clinic_a):
    admin_a.client.post(
        f"/en/clinics/{clinic_a.code}/team/", {"email": "al@a.example", "admin": "on"}
    )
    assert Invitation.objects.get(email="al@a.example").role == Role.ADMIN


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", b"Enter their email address"),
        ("not-an-email", b"Enter an email address like name@example.com"),
        ("bo@clinic-b.example", b"This person already has an account"),
    ],
)
def test_invitation_form_explains_what_is_wrong(admin_a, clinician_b, clinic_a, email, message):
    response = admin_a.client.post(f"/en/clinics/{clinic_a.code}/team/", {"email": email})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content
    assert b"<title>Error: " in response.content


def test_clinic_admin_removes_a_clinician_who_is_signed_out_at_once(admin_a, clinician_a, clinic_a):
    member = clinician_a.clinician.pk
    assert clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.OK
    ask = admin_a.client.get(f"/en/clinics/{clinic_a.code}/team/{member}/remove/")
    assert b"Remove carla@clinic-a.example?" in ask.content
    response = admin_a.client.post(f"/en/clinics/{clinic_a.code}/team/{member}/remove/")
    assert response["Location"] == f"/en/clinics/{clinic_a.code}/team/"
    assert not get_user_model().objects.filter(username="carla@clinic-a.example").exists()
    assert clinician_a.client.get(f"/en/clinics/{clinic_a.code}/").status_code == HTTPStatus.FOUND
    assert sign_in(clinician_a).status_code == HTTPStatus.BAD_REQUEST


def test_clinic_admin_cannot_remove_themselves(admin_a, clinic_a):
    path = f"/en/clinics/{clinic_a.code}/team/{admin_a.clinician.pk}/remove/"
    assert b"You cannot remove yourself" in admin_a.client.get(path).content
    assert admin_a.client.post(path).status_code == HTTPStatus.BAD_REQUEST
    assert Clinician.objects.filter(pk=admin_a.clinician.pk).exists()


def test_withdrawn_invitation_no_longer_works(admin_a, clinic_a, site):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    invitation = Invitation.objects.get()
    response = admin_a.client.post(
        f"/en/clinics/{clinic_a.code}/team/invitations/{invitation.pk}/withdraw/"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Client().get(path).status_code == HTTPStatus.NOT_FOUND


def test_a_new_invitation_replaces_the_open_one(site, clinic_a):
    first = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    second = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    assert Client().get(first).status_code == HTTPStatus.NOT_FOUND
    assert Client().get(second).status_code == HTTPStatus.OK


def test_invited_person_who_already_has_a_password_keeps_theirs_until_enrolled(site, clinic_a):
    # Opening the link again starts afresh: no half-made account can sign in.
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    codes = accept(Client(), path, password=PASSWORD)
    assert "data-recovery-codes" in codes
    user = get_user_model().objects.get(username="nia@clinic-a.example")
    assert user.check_password(PASSWORD)
    assert not user.check_password(NEW_PASSWORD)


def test_invitation_is_still_shown_when_the_mail_server_is_down(admin_a, clinic_a, settings):
    settings.EMAIL_CONFIGURED = True
    with mock.patch("clinics.accounts.send_mail", side_effect=ConnectionRefusedError):
        response = admin_a.client.post(
            f"/en/clinics/{clinic_a.code}/team/", {"email": "newt@clinic-a.example"}
        )
        assert response.status_code == HTTPStatus.FOUND
        shown = admin_a.client.get(response["Location"]).content.decode()
    assert "Give this link to newt@clinic-a.example" in shown
    assert "data-invitation-link" in shown


def test_inviteclinician_says_when_the_email_could_not_be_sent(site, clinic_a):
    site.EMAIL_CONFIGURED = True
    with mock.patch("clinics.accounts.send_mail", side_effect=ConnectionRefusedError):
        output = run("inviteclinician", clinic_a.code, "nia@clinic-a.example")
    assert "The email could not be sent: pass the link on yourself." in output
    assert invitation_path(output)


def test_clinic_admin_is_told_when_the_invitation_was_emailed(admin_a, clinic_a, settings):
    settings.EMAIL_CONFIGURED = True
    response = admin_a.client.post(
        f"/en/clinics/{clinic_a.code}/team/", {"email": "newt@clinic-a.example"}
    )
    shown = admin_a.client.get(response["Location"]).content.decode()
    assert "We have emailed the invitation to newt@clinic-a.example" in shown
    assert len(mail.outbox) == 1


def test_quick_retry_while_enrolling_is_told_to_wait(site, clinic_a):
    path = invitation_path(run("inviteclinician", clinic_a.code, "nia@clinic-a.example"))
    client = Client()
    client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    enrol = client.get("/en/clinics/set-up/authenticator/").content.decode()
    right = code_from_key(enrol)
    client.post(
        "/en/clinics/set-up/authenticator/", {"code": "123456" if right != "123456" else "654321"}
    )
    response = client.post("/en/clinics/set-up/authenticator/", {"code": right})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Too many tries. Wait a minute" in response.content


# --- The language of an invitation ------------------------------------------------------


def test_a_clinic_admin_reading_italian_invites_in_italian(admin_a, clinic_a, settings):
    """The link and the email are in the language the admin uses, so an
    Italian clinician opens an Italian page."""
    settings.EMAIL_CONFIGURED = True
    admin_a.client.post(f"/it/clinics/{clinic_a.code}/team/", {"email": "nia@clinic-a.example"})
    (message,) = mail.outbox
    assert message.subject == "Un invito per Clinic A su iontoinfo"
    assert "Hai ricevuto un invito" in message.body
    path = re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)
    assert path.startswith("/it/clinics/invitation/")
    page = Client().get(path).content.decode()
    assert '<html lang="it">' in page
    assert "Scegli la tua password" in page


def test_inviteclinician_writes_in_the_language_asked(site, clinic_a):
    site.EMAIL_CONFIGURED = True
    output = run("inviteclinician", clinic_a.code, "nia@clinic-a.example", "--language", "it")
    assert "https://iontoinfo.example/it/clinics/invitation/" in output
    (message,) = mail.outbox
    assert "Hai ricevuto un invito" in message.body
    assert "https://iontoinfo.example/it/clinics/invitation/" in message.body


def test_inviteclinician_writes_in_english_unless_asked(site, clinic_a):
    site.EMAIL_CONFIGURED = True
    run("inviteclinician", clinic_a.code, "nia@clinic-a.example")
    (message,) = mail.outbox
    assert "You have been invited" in message.body
    assert "https://iontoinfo.example/en/clinics/invitation/" in message.body
