"""The section for healthcare professionals: the screener's rules in the open,
on paper and as HL7 FHIR. Mounted at /<language>/professionals/."""

from __future__ import annotations

from django.urls import path

from professionals import views

app_name = "professionals"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules_page, name="rules"),
    path("paper-screener/", views.paper_screener, name="paper_screener"),
    path("handout/", views.handout, name="handout"),
]
