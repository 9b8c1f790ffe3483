"""The patient's pages, at /<language>/send-answers/ and /<language>/withdraw/."""

from __future__ import annotations

from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("send-answers/", views.send, name="send"),
    path("send-answers/clinic/", views.choose_clinic, name="choose_clinic"),
    path("send-answers/sent/", views.sent, name="sent"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("withdraw/done/", views.withdrawn, name="withdrawn"),
]
