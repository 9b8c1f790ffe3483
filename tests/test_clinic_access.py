"""Every clinic page and action, tried by each person: only the right people
get in; others get a redirect to sign in, a 403 or a 404, never another
clinic's data."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from clinics.models import Clinician, Invitation, Role
from tests.clinic_people import make_clinician

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FOUND,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
)
SIGN_IN = "/en/clinics/sign-in/"


@pytest.fixture
def targets(clinic_a):
    """Someone to remove and an invitation to withdraw, in clinic A."""
    colleague = make_clinician(clinic_a, "colin@clinic-a.example")
    invitation, _token = Invitation.issue(clinic_a, "ivy@clinic-a.example", Role.CLINICIAN)
    return {"colleague": colleague.clinician.pk, "invitation": invitation.pk}


# (what, method, path, who may: admin / clinician of A / clinician of B)
PAGES = [
    ("clinic page", "get", "/en/clinics/{code}/", OK, OK),
    ("QR code SVG", "get", "/en/clinics/{code}/qr.svg", OK, OK),
    ("QR code PNG", "get", "/en/clinics/{code}/qr.png", OK, OK),
    ("handout", "get", "/en/clinics/{code}/handout/", OK, OK),
    ("team page", "get", "/en/clinics/{code}/team/", OK, FORBIDDEN),
    ("invitation made", "get", "/en/clinics/{code}/team/invited/", OK, FORBIDDEN),
    ("remove, asked", "get", "/en/clinics/{code}/team/{colleague}/remove/", OK, FORBIDDEN),
    ("invite", "post", "/en/clinics/{code}/team/", FOUND, FORBIDDEN),
    ("remove", "post", "/en/clinics/{code}/team/{colleague}/remove/", FOUND, FORBIDDEN),
    (
        "withdraw",
        "post",
        "/en/clinics/{code}/team/invitations/{invitation}/withdraw/",
        FOUND,
        FORBIDDEN,
    ),
]
IDS = [page[0] for page in PAGES]


def _request(person, method: str, path: str):
    data = {"email": "newcomer@clinic-a.example"} if method == "post" else None
    return (
        getattr(person.client, method)(path, data) if data else getattr(person.client, method)(path)
    )


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinic_admin_of_the_clinic_may_use_every_page(
    admin_a, clinic_a, targets, what, method, path, admin, clinician
):
    response = _request(admin_a, method, path.format(code=clinic_a.code, **targets))
    assert response.status_code == admin


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinician_of_the_clinic_may_see_the_link_but_not_manage_the_team(
    clinician_a, clinic_a, targets, what, method, path, admin, clinician
):
    response = _request(clinician_a, method, path.format(code=clinic_a.code, **targets))
    assert response.status_code == clinician
    assert Clinician.objects.filter(pk=targets["colleague"]).exists()
    assert Invitation.objects.filter(pk=targets["invitation"]).exists()


@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_clinician_of_another_clinic_gets_404_and_nothing_of_clinic_a(
    clinician_b, clinic_a, targets, what, method, path, admin, clinician
):
    # clinician_b is even a clinic admin, of clinic B.
    response = _request(clinician_b, method, path.format(code=clinic_a.code, **targets))
    assert response.status_code == NOT_FOUND
    assert b"Clinic A" not in response.content
    assert clinic_a.code.encode() not in response.content
    assert Clinician.objects.filter(pk=targets["colleague"]).exists()
    assert Invitation.objects.filter(pk=targets["invitation"]).exists()


@pytest.mark.parametrize("who", ["patient", "outsider"])
@pytest.mark.parametrize(("what", "method", "path", "admin", "clinician"), PAGES, ids=IDS)
def test_patient_and_outsider_are_sent_to_sign_in_or_refused(
    request, who, clinic_a, targets, what, method, path, admin, clinician
):
    person = request.getfixturevalue(who)
    full_path = path.format(code=clinic_a.code, **targets)
    response = _request(person, method, full_path)
    if method == "get":
        assert response.status_code == FOUND
        assert response["Location"].startswith(SIGN_IN + "?next=")
    else:
        assert response.status_code == FORBIDDEN
        assert b"You are not signed in" in response.content
    assert b"Clinic A" not in response.content
    assert Clinician.objects.filter(pk=targets["colleague"]).exists()
    assert Invitation.objects.filter(pk=targets["invitation"]).exists()


def test_clinic_admin_cannot_reach_another_clinics_people_through_their_own_address(
    admin_a, clinic_a, clinic_b
):
    stranger = make_clinician(clinic_b, "sam@clinic-b.example")
    invitation, _token = Invitation.issue(clinic_b, "ivan@clinic-b.example", Role.CLINICIAN)
    remove = f"/en/clinics/{clinic_a.code}/team/{stranger.clinician.pk}/remove/"
    withdraw = f"/en/clinics/{clinic_a.code}/team/invitations/{invitation.pk}/withdraw/"
    assert admin_a.client.get(remove).status_code == NOT_FOUND
    assert admin_a.client.post(remove).status_code == NOT_FOUND
    assert admin_a.client.post(withdraw).status_code == NOT_FOUND
    assert Clinician.objects.filter(pk=stranger.clinician.pk).exists()
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_team_page_lists_only_this_clinics_people(admin_a, clinician_a, clinician_b, clinic_a):
    body = admin_a.client.get(f"/en/clinics/{clinic_a.code}/team/").content.decode()
    assert "carla@clinic-a.example" in body
    assert "ada@clinic-a.example" in body
    assert "bo@clinic-b.example" not in body


@pytest.mark.parametrize(
    ("who", "expected"),
    [("clinician_a", FOUND), ("clinician_b", FOUND), ("patient", FOUND), ("outsider", FOUND)],
)
def test_clinics_address_leads_each_person_to_their_own_clinic_or_to_sign_in(
    request, clinic_a, clinic_b, who, expected
):
    person = request.getfixturevalue(who)
    response = person.client.get("/en/clinics/")
    assert response.status_code == expected
    own = {"clinician_a": clinic_a.code, "clinician_b": clinic_b.code}.get(who)
    if own:
        assert response["Location"] == f"/en/clinics/{own}/"
    else:
        assert response["Location"].startswith(SIGN_IN)


def test_unknown_clinic_address_is_404_for_a_clinician(clinician_a):
    assert clinician_a.client.get("/en/clinics/AAAAAAA/").status_code == NOT_FOUND
    assert clinician_a.client.get("/en/clinics/not-a-code/").status_code == NOT_FOUND


def test_clinic_pages_are_never_cached(clinician_a, clinic_a):
    for path in ("/en/clinics/{}/", "/en/clinics/{}/qr.png", "/en/clinics/{}/handout/"):
        response = clinician_a.client.get(path.format(clinic_a.code))
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_django_admin_is_not_mounted(clinician_a):
    for path in ("/admin/", "/en/admin/"):
        assert clinician_a.client.get(path, follow=True).status_code == NOT_FOUND


@pytest.mark.parametrize(
    ("who", "expected"),
    [("clinician_a", OK), ("admin_a", OK), ("patient", FOUND), ("outsider", FOUND)],
)
def test_recovery_codes_page_is_for_signed_in_clinicians_only(request, who, expected):
    response = request.getfixturevalue(who).client.get("/en/clinics/set-up/recovery-codes/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "path", ["/en/clinics/sign-in/", "/en/clinics/{code}/", "/en/clinics/{code}/team/"]
)
def test_clinic_pages_keep_the_strict_content_security_policy(admin_a, clinic_a, path):
    response = admin_a.client.get(path.format(code=clinic_a.code))
    assert response.status_code == OK
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    assert "style=" not in response.content.decode()
    assert "<script" not in response.content.decode()
