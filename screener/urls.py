from __future__ import annotations

from django.urls import path

from screener import views

app_name = "screener"

urlpatterns = [
    path("", views.start, name="start"),
]
