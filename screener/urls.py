from __future__ import annotations

from django.urls import path, register_converter

from screener import rules, views


class QuestionConverter:
    """Only the names of real questions match, so anything else is a 404."""

    regex = "|".join(question.name for question in rules.QUESTIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(QuestionConverter, "question")

app_name = "screener"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("result/", views.result, name="result"),
    path("start-again/", views.start_again, name="start_again"),
    path("clear/", views.clear, name="clear"),
    path("cleared/", views.cleared, name="cleared"),
    path("expired/", views.expired, name="expired"),
    path("<question:name>/", views.question, name="question"),
]
