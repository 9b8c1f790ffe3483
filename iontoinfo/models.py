from __future__ import annotations

from django.db import models
from django.db.models import Avg, Count, Q


class PageRating(models.Model):
    """One reader's answer to "How useful was this page?". Nothing else is kept:
    no time of day, no address, no cookie, so a rating cannot be traced to a visit."""

    class Score(models.IntegerChoices):
        NOT_USEFUL = 1, "1 – not useful"
        A_LITTLE = 2, "2"
        SOMEWHAT = 3, "3"
        USEFUL = 4, "4"
        VERY_USEFUL = 5, "5 – very useful"

    language = models.CharField(max_length=8)
    slug = models.SlugField(max_length=80)
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    created = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="page_rating_score_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["language", "slug"], name="page_rating_page")]

    def __str__(self) -> str:
        return f"{self.language}/{self.slug}: {self.score}"

    @classmethod
    def summary(cls, language: str, slug: str) -> tuple[int, float | None]:
        """How many ratings the page has, and their average (None when there are none)."""
        result = cls.objects.filter(language=language, slug=slug).aggregate(
            count=Count("id"), average=Avg("score")
        )
        return result["count"], result["average"]
