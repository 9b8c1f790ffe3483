from __future__ import annotations

from django.urls import path, register_converter

from screener import views


class TokenConverter:
    """A question's address: 16 hex digits (screener.views.question_token)."""

    regex = "[0-9a-f]{16}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "screener"

urlpatterns = [
    path("", views.start, name="start"),
    path("begin/", views.begin, name="begin"),
    path("q/<token:token>/", views.question, name="question"),
    path("check/", views.check, name="check"),
    path("result/", views.result, name="result"),
    path("start-again/", views.start_again, name="start_again"),
    path("clear/", views.clear, name="clear"),
    path("cleared/", views.cleared, name="cleared"),
    path("expired/", views.expired, name="expired"),
]
