from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_control

from clinics import views as clinic_views
from iontoinfo import views
from iontoinfo.sitemaps import ContentSitemap, ProfessionalsSitemap, ScreenerSitemap
from professionals import fhir_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_control(public=True, max_age=3600)(sitemap),
        {
            "sitemaps": {
                "pages": ContentSitemap,
                "screener": ScreenerSitemap,
                "professionals": ProfessionalsSitemap,
            }
        },
        name="sitemap",
    ),
    # Canonical FHIR addresses: the same in every language, as other systems keep them.
    path(
        "fhir/Questionnaire/iontophoresis-screener",
        fhir_views.fhir_questionnaire,
        name="fhir_questionnaire",
    ),
    path(
        "fhir/CodeSystem/iontophoresis-screener",
        fhir_views.fhir_code_system,
        name="fhir_code_system",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    # A clinic's short referral address; it leads to the screener's start page.
    path("screener/c/<str:code>/", clinic_views.referral, name="clinic_referral"),
    path("screener/", include("screener.urls")),
    path("clinics/", include("submissions.clinic_urls")),
    path("clinics/", include("clinics.urls")),
    path("", include("submissions.urls")),
    path("professionals/", include("professionals.urls")),
    path("<slug:slug>/", views.content_page, name="page"),
    path("<slug:slug>/rate/", views.rate_page, name="rate_page"),
    path("<slug:slug>/rated/", views.page_rated, name="page_rated"),
    prefix_default_language=True,
)

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
