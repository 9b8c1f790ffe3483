"""Views of the project package: the education pages, health checks and error pages."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET, require_safe

from iontoinfo.pages import HOME, library


def _content_cache(view):
    # The cache key carries the content version, so a deploy with changed
    # pages never serves an old copy from a shared cache such as Redis.
    return cache_page(settings.CONTENT_MAX_AGE, key_prefix=f"page-{library().version}")(view)


def _render_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = library().get(get_language(), slug)
    if page is None:
        raise Http404("No such page")
    response = render(request, "pages/page.html", {"page": page})
    patch_cache_control(response, public=True, max_age=settings.CONTENT_MAX_AGE)
    return response


@_content_cache
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _render_page(request, HOME)


@_content_cache
@require_safe
def content_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == HOME:  # the home page lives at /<language>/ only
        raise Http404("No such page")
    return _render_page(request, slug)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answering; touches nothing else."""
    response = HttpResponse("ok\n", content_type="text/plain")
    patch_cache_control(response, no_store=True)
    return response


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database means "not ready"
        response = HttpResponse(
            "database unavailable\n",
            content_type="text/plain",
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    else:
        response = HttpResponse("ready\n", content_type="text/plain")
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
    body = loader.render_to_string(template, {"status": status}, request=request)
    response = HttpResponse(body, status=status)
    patch_cache_control(response, no_store=True)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.BAD_REQUEST, "errors/400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.FORBIDDEN, "errors/403.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, HTTPStatus.FORBIDDEN, "errors/403_csrf.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, HTTPStatus.NOT_FOUND, "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, HTTPStatus.INTERNAL_SERVER_ERROR, "errors/500.html")
