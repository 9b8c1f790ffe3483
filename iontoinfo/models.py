from __future__ import annotations

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count, Q


class PageRating(models.Model):
    """One reader's answer to "How useful was this page?". No time of day, no
    address, no cookie. For the day of the rating only, `voter` holds a keyed
    hash of the reader's network and browser (iontoinfo.voters), so that a
    second rating that day replaces the first; after that day it is erased."""

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
    # NULL, not "", once erased: NULLs never clash in the unique constraint.
    voter = models.CharField(max_length=64, null=True, blank=True, default=None)  # noqa: DJ001

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="page_rating_score_1_to_5"
            ),
            # One rating per page per reader per day (NULLs, past days, differ).
            models.UniqueConstraint(
                fields=["language", "slug", "created", "voter"], name="page_rating_one_a_day"
            ),
        ]
        indexes = [models.Index(fields=["language", "slug"], name="page_rating_page")]

    def __str__(self) -> str:
        return f"{self.language}/{self.slug}: {self.score}"

    @classmethod
    def rate(cls, language: str, slug: str, score: int, voter: str) -> None:
        """Keep a reader's rating; a second one the same day replaces the first."""
        today = datetime.date.today()  # as auto_now_add sets `created`
        for _ in range(3):  # two readers' first ratings can race: the loser updates
            try:
                with transaction.atomic():
                    cls.objects.update_or_create(
                        language=language,
                        slug=slug,
                        created=today,
                        voter=voter,
                        defaults={"score": score},
                    )
                return
            except IntegrityError:
                continue
        raise IntegrityError("could not keep the rating")

    @classmethod
    def forget_old_voters(cls) -> None:
        """Yesterday's hashes are of no use: erase them."""
        cls.objects.filter(created__lt=datetime.date.today(), voter__isnull=False).update(
            voter=None
        )

    @classmethod
    def summary(cls, language: str, slug: str) -> tuple[int, float | None]:
        """How many ratings the page has, and their average (None when there are none)."""
        result = cls.objects.filter(language=language, slug=slug).aggregate(
            count=Count("id"), average=Avg("score")
        )
        return result["count"], result["average"]
