"""The screener's FHIR resources at their canonical addresses, outside the
language prefixes: /fhir/Questionnaire/iontophoresis-screener and
/fhir/CodeSystem/iontophoresis-screener (routes in iontoinfo/urls.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from iontoinfo.origin import site_origin
from professionals import fhir

FHIR_JSON = "application/fhir+json; charset=utf-8"


def _fhir_resource(request: HttpRequest, build: Callable[[str], fhir.Json]) -> HttpResponse:
    """A FHIR resource as pretty-printed JSON that anyone may cache and fetch."""
    resource = build(site_origin(request))
    body = (json.dumps(resource, indent=2, ensure_ascii=False) + "\n").encode()
    response = HttpResponse(body, content_type=FHIR_JSON)
    response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    patch_cache_control(response, public=True, max_age=settings.CONTENT_MAX_AGE)
    # Public and free of cookies, so a forms renderer on another site may load it.
    response["Access-Control-Allow-Origin"] = "*"
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
def fhir_questionnaire(request: HttpRequest) -> HttpResponse:
    """The screener as an HL7 FHIR R4 Questionnaire."""
    return _fhir_resource(request, fhir.questionnaire)


@require_safe
def fhir_code_system(request: HttpRequest) -> HttpResponse:
    """The code system of the screener's answers."""
    return _fhir_resource(request, fhir.code_system)
