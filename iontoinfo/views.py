"""Views of the project package: the education pages, health checks and error pages."""

from __future__ import annotations

import hashlib
import logging
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from iontoinfo.forms import RatingForm
from iontoinfo.models import PageRating
from iontoinfo.pagecache import cache_whole
from iontoinfo.pages import HOME, Page, library
from iontoinfo.resilience import extend_deadline
from iontoinfo.voters import ratelimit_network, voter

logger = logging.getLogger(__name__)


# What a page kept whole is made of, besides the content: the templates, the
# static files (whose hashed names the HTML carries), the wording in the
# translation catalogues, and the code that fills the pages (the screener's
# rules, which the professionals' pages lay open, among it).
BUILD_SOURCES = (
    "templates",
    "static",
    "locale",
    "iontoinfo",
    "screener",
    "professionals",
    "clinics",
    "submissions",
)


def build_version() -> str:
    """A fingerprint of what a rendered page is made of (BUILD_SOURCES)."""
    digest = hashlib.sha256(library().version.encode())
    for name in BUILD_SOURCES:
        folder = Path(settings.BASE_DIR) / name
        for path in sorted(folder.rglob("*")):
            # Compiled files follow from their sources.
            if path.is_file() and path.suffix not in {".pyc", ".mo"}:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# The page cache's keys carry the build's fingerprint, so after a deploy a
# shared cache such as Redis never serves a page from the old build.
BUILD_VERSION = build_version()


def _rating(page: Page) -> dict[str, object] | None:
    # A page must still show while the database is down: just without ratings.
    try:
        count, average = PageRating.summary(page.language, page.slug)
    except DatabaseError:
        logger.warning("Ratings unavailable for %s", page.path)
        return None
    return {"count": count, "average": average, "choices": PageRating.Score.choices}


def _render_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = library().get(get_language(), slug)
    if page is None:
        raise Http404("No such page")
    rating = _rating(page) if page.is_health else None
    response = render(request, "pages/page.html", {"page": page, "rating": rating})
    if page.is_health and rating is None:
        # Without its rating form (the database is down) the page is served,
        # but neither kept here nor by browsers and shared caches.
        patch_cache_control(response, no_cache=True, max_age=0)
        return response
    patch_cache_control(response, public=True, max_age=settings.CONTENT_MAX_AGE)
    return cache_whole(response)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _render_page(request, HOME)


@require_safe
def content_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == HOME:  # the home page lives at /<language>/ only
        raise Http404("No such page")
    return _render_page(request, slug)


def _health_page(slug: str) -> Page:
    """Only health pages take ratings."""
    page = library().get(get_language(), slug)
    if page is None or not page.is_health:
        raise Http404("No such page")
    return page


def _same_origin(request: HttpRequest) -> bool:
    """The rating form has no CSRF token (content pages carry no cookie), so
    the browser's Origin header, or failing that the Referer, must be ours."""
    ours = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin:
        return origin == ours
    referer = request.headers.get("Referer", "")
    return referer == ours or referer.startswith(ours + "/")


@csrf_exempt
@never_cache
@require_POST
@ratelimit(key=ratelimit_network, rate=settings.RATE_LIMIT_RATINGS, block=False)
def rate_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = _health_page(slug)
    if not _same_origin(request):
        return permission_denied(request)
    if getattr(request, "limited", False):
        return too_many_requests(request)
    if request.POST.get(RatingForm.HONEYPOT):
        # Only software fills the field people cannot see: thank it, keep nothing.
        return redirect(page.rated_path)
    form = RatingForm(request.POST)
    if not form.is_valid():
        # The page again, with the form and the error, as the screener does.
        # This view is never cached (never_cache, and no cache_page), so the
        # error reaches only the person who sent the form.
        message = form.errors["score"][0]
        return render(
            request,
            "pages/page.html",
            {
                "page": page,
                "rating": _rating(page),
                "rating_error": message,
                "errors": [{"message": message, "href": "#rating-1"}],
            },
            status=HTTPStatus.BAD_REQUEST,
        )
    PageRating.forget_old_voters()
    PageRating.rate(page.language, page.slug, form.cleaned_data["score"], voter(request))
    return redirect(page.rated_path)


@never_cache
@require_safe
def page_rated(request: HttpRequest, slug: str) -> HttpResponse:
    page = _health_page(slug)
    return render(request, "pages/rated.html", {"page": page})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering; touches nothing else."""
    response = HttpResponse("ok\n", content_type="text/plain")
    patch_cache_control(response, no_store=True)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not ready"
        return False
    return True


def _cache_answers() -> bool:
    ping = getattr(cache, "ping", None)  # Redis; the local-memory cache always answers
    return ping() if ping else True


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers a query and, when REDIS_URL is
    set, Redis answers. The body names each dependency and its state."""
    # A probe must not wait long on a database that hangs.
    extend_deadline(request, settings.READYZ_DEADLINE)
    states = {"database": _database_answers()}
    if settings.REDIS_URL:
        states["redis"] = _cache_answers()
    body = "".join(f"{name}: {'ok' if up else 'unavailable'}\n" for name, up in states.items())
    ready = all(states.values())
    response = HttpResponse(
        ("ready\n" if ready else "not ready\n") + body,
        content_type="text/plain",
        status=HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE,
    )
    patch_cache_control(response, no_store=True)
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"
    response = HttpResponse(body, content_type="text/plain")
    patch_cache_control(response, public=True, max_age=settings.CONTENT_MAX_AGE)
    return response


def _error(request: HttpRequest, status: HTTPStatus, template: str) -> HttpResponse:
    # Error pages use no database, session or request-dependent context
    # processor beyond the navigation, so they render while the database is down.
    # The language switcher leads to the other language's home page: the
    # address that failed may be one nobody should see repeated (a clinic's).
    body = loader.render_to_string(
        template, {"status": status, "error_page": True}, request=request
    )
    response = HttpResponse(body, status=status)
    patch_cache_control(response, no_store=True)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.BAD_REQUEST, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.FORBIDDEN, "errors/403.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, HTTPStatus.FORBIDDEN, "errors/403_csrf.html")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = _error(request, HTTPStatus.TOO_MANY_REQUESTS, "errors/429.html")
    response["Retry-After"] = "60"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.NOT_FOUND, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, HTTPStatus.INTERNAL_SERVER_ERROR, "errors/500.html")
