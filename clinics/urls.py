"""The clinic pages, mounted at /<language>/clinics/. The referral address
itself is /<language>/screener/c/<code>/ (see iontoinfo/urls.py)."""

from __future__ import annotations

from django.urls import path, register_converter

from clinics import views
from clinics.models import CODE_ALPHABET


class ClinicCodeConverter:
    """A clinic's code as the site writes it; anything else is a 404."""

    regex = f"[{CODE_ALPHABET}]{{6,8}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ClinicCodeConverter, "clinic")

app_name = "clinics"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("set-up/authenticator/", views.enrol, name="enrol"),
    path("set-up/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("<clinic:code>/", views.clinic, name="clinic"),
    path("<clinic:code>/qr.svg", views.qr_code_svg, name="qr_svg"),
    path("<clinic:code>/qr.png", views.qr_code_png, name="qr_png"),
    path("<clinic:code>/handout/", views.handout, name="handout"),
    path("<clinic:code>/team/", views.team, name="team"),
    path("<clinic:code>/team/invited/", views.invited, name="invited"),
    path("<clinic:code>/team/<int:pk>/remove/", views.remove, name="remove"),
    path("<clinic:code>/team/invitations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
