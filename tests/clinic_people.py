"""The people of the clinic tests: a clinician and a clinic admin of clinic A,
a clinician of clinic B, a patient who came through clinic A's link, and an
outsider. Each has their own browser (a test client)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html import unescape
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.models import Clinic, Clinician, Role
from tests.i18n import say

PASSWORD = "a long and unusual passphrase 7"
RECOVERY_CODE = "abcdefgh"


@dataclass
class Person:
    name: str
    client: Client
    user: object | None = None
    device: TOTPDevice | None = None
    clinician: Clinician | None = None


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead`
    periods of 30 seconds later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead):06d}"


def next_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: a second sign-in within the
    same 30 seconds uses the code of the next period, which the device's
    tolerance of one period accepts."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    step = max(now + device.drift - device.tolerance, device.last_t + 1)
    return code_for(device, steps_ahead=step - now)


def make_clinician(clinic: Clinic, email: str, role: str = Role.CLINICIAN) -> Person:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    clinician = Clinician.objects.create(user=user, clinic=clinic, role=role)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    recovery.token_set.create(token=RECOVERY_CODE)
    return Person(email, Client(), user, device, clinician)


def sign_in(person: Person, password: str = PASSWORD, code: str | None = None):
    """Sign in as a person would: the password, then a code. Returns the last response."""
    response = person.client.post(
        "/en/clinics/sign-in/", {"email": person.user.email, "password": password}
    )
    if response.status_code != HTTPStatus.FOUND:
        return response
    if code is None:
        code = next_code(person.device)
    return person.client.post(response["Location"], {"code": code})


def signed_in(person: Person) -> Person:
    response = sign_in(person)
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    return person


@pytest.fixture
def clinic_a(db) -> Clinic:
    return Clinic.create_with_code("Clinic A")


@pytest.fixture
def clinic_b(db) -> Clinic:
    return Clinic.create_with_code("Clinic B")


@pytest.fixture
def clinician_a(clinic_a) -> Person:
    return signed_in(make_clinician(clinic_a, "carla@clinic-a.example"))


@pytest.fixture
def admin_a(clinic_a) -> Person:
    return signed_in(make_clinician(clinic_a, "ada@clinic-a.example", Role.ADMIN))


@pytest.fixture
def clinician_b(clinic_b) -> Person:
    return signed_in(make_clinician(clinic_b, "bo@clinic-b.example", Role.ADMIN))


@pytest.fixture
def patient(clinic_a) -> Person:
    """Came through clinic A's link and started the screener."""
    client = Client()
    client.get(f"/en/screener/c/{clinic_a.code}/")
    walk_from_start(client, {}, stop_after=1)
    return Person("patient", client)


@pytest.fixture
def outsider(db) -> Person:
    return Person("outsider", Client())


# --- Walking the screener as a browser would ---------------------------------------------

NOBODY_SPECIAL: dict[str, str | list[str]] = {
    "areas": ["hands"],
    "implanted_device": "no",
    "metal_implant": "no",
    "pregnant": "no",
    "conditions": ["none"],
    "skin": ["none"],
    "age": "18_plus",
    "warning_signs": ["none"],
    "severity": "3",
}


def _form(html: str) -> tuple[str, list[str]]:
    """The main form's action and the names of its answer fields."""
    form = re.search(r"<form[^>]*>.*?</form>", html.split('id="main-content"', 1)[1], re.S)
    assert form, html[:2000]
    action = re.search(r'<form[^>]*\saction="([^"]*)"', form.group(0))
    names = re.findall(r'<input[^>]*type="(?:radio|checkbox)"[^>]*name="([^"]+)"', form.group(0))
    names += re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="(?:radio|checkbox)"', form.group(0))
    return unescape(action.group(1)) if action else "", sorted(set(names))


def _follow(client: Client, url: str):
    response = client.get(url)
    hops = 0
    while response.status_code in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
        url = response["Location"]
        response = client.get(url)
        hops += 1
        assert hops < 5
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    return url, response.content.decode()


def walk_from_start(
    client: Client, person: dict, stop_after: int | None = None, language: str = "en"
) -> tuple[str, str]:
    """From the start page's "Start now" link to the result, answering each
    question by the field names its form shows, in `language`. Returns the
    result's address and page (or, with `stop_after`, where it stopped)."""
    answers = {**NOBODY_SPECIAL, **person}
    url, html = _follow(client, f"/{language}/screener/")
    label = re.escape(say(language, "Start now"))
    start = re.search(rf'<a class="button" href="([^"]+)"[^>]*>{label}</a>', html)
    assert start, "no Start now link"
    url, html = _follow(client, unescape(start.group(1)))
    answered = 0
    while 'data-action="submit-answers"' not in html:
        action, names = _form(html)
        assert len(names) == 1, names
        name = names[0]
        response = client.post(action or url, {name: answers[name]})
        assert response.status_code == HTTPStatus.FOUND, (name, response.content[:1500])
        answered += 1
        if stop_after is not None and answered >= stop_after:
            return url, html
        url, html = _follow(client, response["Location"])
        assert answered <= len(answers)
    action, _ = _form(html)
    response = client.post(action or url)
    assert response.status_code == HTTPStatus.FOUND
    return _follow(client, response["Location"])
