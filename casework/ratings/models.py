"""The worker's verdict on how their case was handled (政务服务"好差评"), and the review a bad
verdict starts: a supervisor calls the worker back (回访), records what was found, and the team
puts it right before the review's clock runs out, or the supervisor records why the rating is
not upheld."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.timeline import models as timeline
from casework.timeline.choices import EventKind


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    MOSTLY_SATISFIED = 3, _("Mostly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# 不满意 and 非常不满意 start a review (国办发〔2019〕51号: 差评 are checked and put right).
BAD_LEVELS = frozenset({RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED})
# The three upper levels count as satisfied in the satisfaction rate.
SATISFIED_LEVELS = frozenset(
    {RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.MOSTLY_SATISFIED}
)


class CaseRating(models.Model):
    """One rating per case, by its worker; they may change it for a week after first rating."""

    case = models.OneToOneField(
        "casework.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="rating"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    rated_at = models.DateTimeField(_("first rated"))
    changed_at = models.DateTimeField(_("last changed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_range"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.level}"

    @property
    def level_label(self) -> str:
        return RatingLevel(self.level).label

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class ReviewStatus(models.TextChoices):
    AWAITING_CALLBACK = "awaiting_callback", _("Awaiting the call-back")
    PUTTING_RIGHT = "putting_right", _("Being put right")
    PUT_RIGHT = "put_right", _("Put right")
    NOT_UPHELD = "not_upheld", _("Rating not upheld")
    # The worker changed a bad rating to a satisfied one within the days allowed: nothing is
    # left to put right, the clock stops, the history keeps the review as it was.
    WITHDRAWN = "withdrawn", _("Closed: the worker changed the rating")


REVIEW_OPEN = (ReviewStatus.AWAITING_CALLBACK, ReviewStatus.PUTTING_RIGHT)


class RatingReview(models.Model):
    """The review of a bad rating, with its clock (the RATING_REVIEW deadline rule, 15 working
    days by default) on the case."""

    rating = models.OneToOneField(
        CaseRating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="review"
    )
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.AWAITING_CALLBACK,
    )
    deadline = models.ForeignKey(
        "casework.Deadline",
        verbose_name=_("deadline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    findings = models.TextField(_("what the call-back found"), blank=True)
    called_back_at = models.DateTimeField(_("called back"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("what was done, or why the rating is not upheld"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating review")
        verbose_name_plural = _("rating reviews")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["status", "-opened_at"], name="rating_review_status")]

    def __str__(self):
        return f"{self.case_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in REVIEW_OPEN

    @property
    def status_label(self) -> str:
        return ReviewStatus(self.status).label


def _level_words(reason: str) -> str:
    try:
        return str(RatingLevel(int(reason)).label)
    except (TypeError, ValueError):
        return reason


# The timeline stores the level's number; the reader reads its name in their language.
timeline.EVENT_DETAIL_WORDS[EventKind.RATED] = _level_words
