"""The clinic pages: the referral address, sign-in with a second factor,
invitations, the clinic's link, QR code, handout and counts, and its team.

Every page here sends `Cache-Control: no-store`. A clinic's pages answer 404
to anyone of another clinic; signing in needs a password and a code."""

from __future__ import annotations

import datetime
import time
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics import accounts
from clinics.counting import REFERRAL_KEY
from clinics.forms import CodeForm, EnrolCodeForm, InviteForm, SetPasswordForm, SignInForm
from clinics.models import Clinic, Clinician, Invitation, WeeklyCount, normalise_code, week_of
from iontoinfo.origin import site_origin
from iontoinfo.qr import qr_png, qr_svg

View = Callable[..., HttpResponse]

# Session keys. The clinician's own session also carries Django's auth keys.
SEEN_KEY = "clinic_seen"  # when a clinic page was last used (epoch seconds)
PENDING_KEY = "clinic_pending"  # password accepted, code not yet
ENROL_KEY = "clinic_enrol"  # invitation opened, app not yet confirmed
CODES_KEY = "clinic_recovery_codes"  # shown once, then removed
INVITED_KEY = "clinic_new_invitation"  # the link just made, shown once
PENDING_SECONDS = 5 * 60
ENROL_SECONDS = 60 * 60
WEEKS_SHOWN = 12


def _now() -> int:
    return int(time.time())


# --- The referral address -------------------------------------------------------


@never_cache
@require_safe
def referral(request: HttpRequest, code: str) -> HttpResponse:
    """A clinic's short address: remember the clinic (its code only) for this
    patient's screener, then go to the screener's start page."""
    clinic = Clinic.objects.active().filter(code=normalise_code(code)[:8]).first()
    if clinic is None:
        # A clear page, never an error: the patient can still do the check.
        return render(request, "clinics/unknown_link.html", status=HTTPStatus.NOT_FOUND)
    request.session[REFERRAL_KEY] = clinic.code
    return redirect("screener:start")


# --- Who is signed in -------------------------------------------------------------


def _signed_out_page(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "clinics/signed_out.html",
        {"reason": reason, "sign_in_url": _sign_in_url(request)},
        status=HTTPStatus.FORBIDDEN if reason != "signed-out" else HTTPStatus.OK,
    )


def _sign_in_url(request: HttpRequest) -> str:
    url = reverse("clinics:sign_in")
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


def _start_clinician_session(request: HttpRequest) -> None:
    # The 30-minute limit for this session only; a patient's session keeps 24 hours.
    request.session.set_expiry(settings.CLINIC_SESSION_IDLE)
    request.session[SEEN_KEY] = _now()


def _current_clinician(request: HttpRequest) -> Clinician | HttpResponse:
    """The signed-in, verified clinician, or the response for everyone else."""
    user = request.user
    if not user.is_authenticated:
        if request.method in ("GET", "HEAD"):
            return redirect(_sign_in_url(request))
        return _signed_out_page(request, "not-signed-in")
    seen = request.session.get(SEEN_KEY)
    stale = not isinstance(seen, int) or _now() - seen > settings.CLINIC_SESSION_IDLE
    clinician = Clinician.objects.select_related("clinic").filter(user=user).first()
    if not user.is_verified() or clinician is None:
        # Only a session that passed both factors reaches a clinic page.
        logout(request)
        return _signed_out_page(request, "not-signed-in")
    if stale:
        logout(request)
        return _signed_out_page(request, "idle")
    if clinician.clinic.retired_at is not None:
        raise PermissionDenied
    request.session[SEEN_KEY] = _now()
    request.session.set_expiry(settings.CLINIC_SESSION_IDLE)
    request.clinician = clinician
    return clinician


def clinician_page(view: View) -> View:
    """Pages for any signed-in clinician, not tied to a clinic's address."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        clinician = _current_clinician(request)
        if isinstance(clinician, HttpResponse):
            return clinician
        return view(request, clinician, *args, **kwargs)

    return wrapper


def clinic_page(*, admin: bool = False) -> Callable[[View], View]:
    """Pages of one clinic: 404 to anyone of another clinic, 403 to a
    clinician where only a clinic admin may go."""

    def decorator(view: View) -> View:
        @never_cache
        @wraps(view)
        def wrapper(request: HttpRequest, code: str, *args: object, **kwargs: object):
            clinician = _current_clinician(request)
            if isinstance(clinician, HttpResponse):
                return clinician
            if clinician.clinic.code != code:
                raise Http404("No such clinic")
            if admin and not clinician.is_admin:
                raise PermissionDenied
            return view(request, clinician, *args, **kwargs)

        return wrapper

    return decorator


# --- Signing in and out ------------------------------------------------------------


def locked_out(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """Too many failed sign-ins: a clear page with how long to wait (django-axes)."""
    cool_off = get_cool_off(request) or datetime.timedelta(minutes=15)
    return render(
        request,
        "clinics/locked_out.html",
        {"minutes": int(cool_off.total_seconds() // 60)},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("clinics:home")


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    status = HTTPStatus.OK
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"].lower()
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if getattr(request, "axes_locked_out", False):
                return locked_out(request)
            clinician = Clinician.objects.select_related("clinic").filter(user=user).first()
            if user is not None and clinician and clinician.clinic.retired_at is None:
                # Cycle the key: nothing from before the password survives.
                request.session.cycle_key()
                request.session.pop(PENDING_KEY, None)
                request.session[PENDING_KEY] = {
                    "user": user.pk,
                    "at": _now(),
                    "next": _safe_next(request, next_url),
                }
                return redirect("clinics:sign_in_code")
            form.add_error(
                None,
                _(
                    "The email address or password is not right. Check them and try again. "
                    "After several wrong tries the account is locked for a while."
                ),
            )
        status = HTTPStatus.BAD_REQUEST
    else:
        form = SignInForm()
    return render(request, "clinics/sign_in.html", {"form": form, "next": next_url}, status=status)


def _pending_user(request: HttpRequest) -> object | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or _now() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()


@sensitive_variables("form")
def _verify_code(user: object, form: CodeForm) -> tuple[object | None, bool]:
    """The device that accepts the code, and whether the device was free to try."""
    code = form.cleaned_data["code"]
    model = TOTPDevice if form.is_app_code else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None, True
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return None, False
    return (device if device.verify_token(code) else None), True


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("clinics:sign_in")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request)
    status = HTTPStatus.OK
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            device, allowed = _verify_code(user, form)
            if device is not None:
                next_url = request.session.pop(PENDING_KEY)["next"]
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                _start_clinician_session(request)
                return redirect(_safe_next(request, next_url))
            if allowed:
                # A wrong or reused code counts towards the lockout, like a wrong password.
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    request.session.pop(PENDING_KEY, None)
                    return locked_out(request)
                form.add_error(
                    "code",
                    _(
                        "This code does not work. A code changes every 30 seconds and "
                        "works once: enter the code your app shows now."
                    ),
                )
            else:
                form.add_error("code", _("Too many tries. Wait a minute, then try again."))
        status = HTTPStatus.BAD_REQUEST
    else:
        form = CodeForm()
    return render(request, "clinics/sign_in_code.html", {"form": form}, status=status)


@never_cache
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    # Ends the session at once: the server forgets it, the key is new.
    logout(request)
    return redirect("clinics:signed_out")


@never_cache
@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return _signed_out_page(request, "signed-out")


# --- Invitations and enrolment ----------------------------------------------------------


def _invitation_problem(request: HttpRequest, problem: str) -> HttpResponse:
    status = HTTPStatus.NOT_FOUND if problem == "unknown" else HTTPStatus.GONE
    return render(request, "clinics/invitation_problem.html", {"problem": problem}, status=status)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = Invitation.for_token(token[:100])
    if found is None:
        return _invitation_problem(request, "unknown")
    try:
        accounts.check_open(found)
    except accounts.AccountError as problem:
        return _invitation_problem(request, str(problem))
    status = HTTPStatus.OK
    if request.method == "POST":
        form = SetPasswordForm(request.POST, email=found.email)
        if form.is_valid():
            try:
                user, _device = accounts.start_enrolment(found, form.cleaned_data["password1"])
            except accounts.AccountError as problem:
                return _invitation_problem(request, str(problem))
            request.session.cycle_key()
            request.session[ENROL_KEY] = {"invitation": found.pk, "user": user.pk, "at": _now()}
            return redirect("clinics:enrol")
        status = HTTPStatus.BAD_REQUEST
    else:
        form = SetPasswordForm(email=found.email)
    return render(
        request,
        "clinics/invitation.html",
        {"form": form, "invitation": found, "hours": settings.CLINIC_INVITATION_HOURS},
        status=status,
    )


def _key_for_typing(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Add the site to an authenticator app and prove it with a code."""
    state = request.session.get(ENROL_KEY)
    if not isinstance(state, dict) or _now() - state.get("at", 0) > ENROL_SECONDS:
        return _invitation_problem(request, "no-invitation")
    found = Invitation.objects.select_related("clinic").filter(pk=state.get("invitation")).first()
    device = (
        TOTPDevice.objects.select_related("user")
        .filter(user_id=state.get("user"), confirmed=False)
        .first()
    )
    if found is None or device is None:
        return _invitation_problem(request, "no-invitation")
    try:
        accounts.check_open(found)
    except accounts.AccountError as problem:
        return _invitation_problem(request, str(problem))
    status = HTTPStatus.OK
    if request.method == "POST":
        form = EnrolCodeForm(request.POST)
        if form.is_valid() and not device.verify_is_allowed()[0]:
            form.add_error("code", _("Too many tries. Wait a minute, then try again."))
        elif form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                try:
                    codes = accounts.finish_enrolment(found, device)
                except accounts.AccountError as problem:
                    return _invitation_problem(request, str(problem))
                request.session.pop(ENROL_KEY, None)
                login(request, device.user, backend="django.contrib.auth.backends.ModelBackend")
                otp_login(request, device)
                _start_clinician_session(request)
                request.session[CODES_KEY] = codes
                return redirect("clinics:recovery_codes")
            form.add_error(
                "code",
                _(
                    "This code does not work. Check that the app shows iontoinfo, then "
                    "enter the code it shows now."
                ),
            )
        status = HTTPStatus.BAD_REQUEST
    else:
        form = EnrolCodeForm()
    return render(
        request,
        "clinics/enrol.html",
        {
            "form": form,
            "clinic": found.clinic,
            "qr": qr_svg(
                device.config_url,
                title=_("QR code to add iontoinfo to an authenticator app"),
                fluid=True,
            ),
            "key": _key_for_typing(device),
            "email": device.user.email,
        },
        status=status,
    )


@clinician_page
@require_safe
def recovery_codes(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    codes = request.session.pop(CODES_KEY, None)
    return render(
        request,
        "clinics/recovery_codes.html",
        {"codes": codes, "clinic": clinician.clinic},
    )


# --- The clinic's pages -------------------------------------------------------------------


@clinician_page
@require_safe
def home(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    return redirect("clinics:clinic", code=clinician.clinic.code)


def referral_url(request: HttpRequest, clinic: Clinic, language: str | None = None) -> str:
    with translation.override(language or translation.get_language()):
        return site_origin(request) + reverse("clinic_referral", args=[clinic.code])


def _weekly_counts(clinic: Clinic) -> list[dict[str, object]]:
    """The last few ISO weeks, newest first, with zeros where nobody came."""
    this_week = week_of(timezone.localdate())
    weeks = [this_week - datetime.timedelta(weeks=n) for n in range(WEEKS_SHOWN)]
    stored = {row.week: row for row in clinic.weekly_counts.filter(week__gte=weeks[-1])}
    rows = []
    for week in weeks:
        row = stored.get(week) or WeeklyCount(clinic=clinic, week=week)
        rows.append(
            {
                "week": week,
                "iso_week": row.iso_week,
                "started": row.started,
                "finished": row.finished,
            }
        )
    return rows


@clinic_page()
@require_safe
def clinic(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    clinic = clinician.clinic
    url = referral_url(request, clinic)
    totals = clinic.weekly_counts.aggregate(
        started=Coalesce(Sum("started"), 0), finished=Coalesce(Sum("finished"), 0)
    )
    handouts = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            handouts.append(
                {
                    "language": code,
                    "name": name,
                    "url": reverse("clinics:handout", args=[clinic.code]),
                }
            )
    return render(
        request,
        "clinics/clinic.html",
        {
            "clinic": clinic,
            "clinician": clinician,
            "referral_url": url,
            "qr": qr_svg(url, title=_("QR code for %(url)s") % {"url": url}, fluid=True),
            "weeks": _weekly_counts(clinic),
            "totals": totals,
            "handouts": handouts,
            "recovery_codes_left": accounts.recovery_codes_left(clinician.user),
        },
    )


@clinic_page()
@require_safe
def qr_code_svg(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    url = referral_url(request, clinician.clinic)
    svg = qr_svg(url, title=_("QR code for %(url)s") % {"url": url}, scale=10)
    response = HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + svg, content_type="image/svg+xml"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="iontoinfo-{clinician.clinic.code}.svg"'
    )
    return response


@clinic_page()
@require_safe
def qr_code_png(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    response = HttpResponse(
        qr_png(referral_url(request, clinician.clinic)), content_type="image/png"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="iontoinfo-{clinician.clinic.code}.png"'
    )
    return response


@clinic_page()
@require_safe
def handout(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    """One A4 page for patients, in the language of the address."""
    clinic = clinician.clinic
    url = referral_url(request, clinic)
    return render(
        request,
        "clinics/handout.html",
        {
            "clinic": clinic,
            "referral_url": url,
            "qr": qr_svg(url, title=_("QR code for %(url)s") % {"url": url}, fluid=True),
        },
    )


# --- The clinic's team (clinic admins) -------------------------------------------------------


@clinic_page(admin=True)
@require_http_methods(["GET", "HEAD", "POST"])
def team(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    clinic = clinician.clinic
    status = HTTPStatus.OK
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation_, link, emailed = accounts.invite(
                    clinic,
                    form.cleaned_data["email"],
                    form.role,
                    invited_by=request.user,
                    base_url=site_origin(request),
                )
            except accounts.AccountError as problem:
                form.add_error("email", str(problem))
            else:
                request.session[INVITED_KEY] = {
                    "email": invitation_.email,
                    "link": link,
                    "emailed": emailed,
                }
                return redirect("clinics:invited", code=clinic.code)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = InviteForm()
    return render(
        request,
        "clinics/team.html",
        {
            "clinic": clinic,
            "clinician": clinician,
            "members": clinic.clinicians.select_related("user")
            .filter(user__is_active=True)
            .order_by("user__email"),
            "invitations": clinic.invitations.open().order_by("email"),
            "form": form,
        },
        status=status,
    )


@clinic_page(admin=True)
@require_safe
def invited(request: HttpRequest, clinician: Clinician) -> HttpResponse:
    made = request.session.pop(INVITED_KEY, None)
    return render(
        request,
        "clinics/invited.html",
        {
            "clinic": clinician.clinic,
            "made": made,
            "hours": settings.CLINIC_INVITATION_HOURS,
        },
    )


@clinic_page(admin=True)
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    # Only members of this clinic: anyone else's id is a 404.
    member = get_object_or_404(
        Clinician.objects.select_related("user"), pk=pk, clinic=clinician.clinic
    )
    if member.pk == clinician.pk:
        return render(
            request,
            "clinics/remove.html",
            {"clinic": clinician.clinic, "member": member, "is_self": True},
            status=HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK,
        )
    if request.method == "POST":
        accounts.remove(member)
        return redirect("clinics:team", code=clinician.clinic.code)
    return render(request, "clinics/remove.html", {"clinic": clinician.clinic, "member": member})


@clinic_page(admin=True)
@require_POST
def withdraw(request: HttpRequest, clinician: Clinician, pk: int) -> HttpResponse:
    found = get_object_or_404(Invitation, pk=pk, clinic=clinician.clinic, accepted_at__isnull=True)
    found.delete()
    return redirect("clinics:team", code=clinician.clinic.code)
