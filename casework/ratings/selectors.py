"""Reads for the rating panel of a case and the supervisors' satisfaction page. Every read
takes the user and sees only the cases they may."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from casework.cases.choices import CaseState, Category, Channel
from casework.cases.models import Case
from casework.core.access import visible_cases_q
from casework.core.errors import NotFound
from casework.core.roles import Role
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.ratings.models import (
    REVIEW_OPEN,
    SATISFIED_LEVELS,
    CaseRating,
    RatingLevel,
    RatingReview,
)
from casework.ratings.services import RATEABLE_STATES, changeable_until

# States a case is in only before it first concludes (no transition leads back to them): it
# has no rating yet, and the case page spends no query asking.
NEVER_CONCLUDED = frozenset({CaseState.SUBMITTED, CaseState.ACCEPTED})


@dataclass
class RatingPanel:
    rating: CaseRating | None
    review: RatingReview | None
    can_rate: bool  # the worker may rate now (first time, or change within 7 days)
    changeable_until: object


def rating_panel_for(*, case: Case, roles: frozenset) -> RatingPanel:
    """What the case page shows of the rating, for a reader whose roles on the case a
    selector has worked out already (the case page's). One query at most: none before the
    case first concludes, nor for a case read with `has_rating` False."""
    if case.state in NEVER_CONCLUDED:
        return RatingPanel(rating=None, review=None, can_rate=False, changeable_until=None)
    rating = (
        CaseRating.objects.filter(case=case).select_related("review__deadline").first()
        # The case page's case says whether it has a rating (casework.cases.selectors).
        if getattr(case, "has_rating", True)
        else None
    )
    review = getattr(rating, "review", None) if rating else None
    until = changeable_until(rating) if rating else None
    can_rate = (
        Role.WORKER in roles
        and case.state in RATEABLE_STATES
        and (rating is None or timezone.now() <= until)
    )
    return RatingPanel(rating=rating, review=review, can_rate=can_rate, changeable_until=until)


def _ratings_seen_by(user: User):
    scope = scope_for(user)
    if not (scope.is_admin or scope.supervised_unit_ids):
        raise NotFound
    return CaseRating.objects.filter(case__in=Case.objects.filter(visible_cases_q(scope)))


# What the satisfaction rate is grouped by: name -> (the key's path from the rating, how a key
# reads). The channels branch widens Case.channel's choices; the rows follow by themselves.
DIMENSIONS = {
    "team": ("case__team__name", None),
    "street": ("case__jurisdiction__name", None),
    "category": ("case__category", lambda key: Category(key).label),
    "channel": ("case__channel", lambda key: Channel(key).label if key in Channel.values else key),
}


@dataclass
class SatisfactionRow:
    label: str
    rated: int
    satisfied: int
    bad: int

    @property
    def rate(self) -> float:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else 0.0


def satisfaction_for_user(*, user: User) -> dict[str, list[SatisfactionRow]]:
    """Satisfaction rate (基本满意 and above, of all ratings) per team, street, category and
    channel, over the cases the supervisor sees: one query per dimension. Not a supervisor:
    NotFound (404)."""
    ratings = _ratings_seen_by(user)
    tables = {}
    for name, (path, words) in DIMENSIONS.items():
        rows = (
            ratings.order_by()
            .values(path)
            .annotate(
                rated=Count("pk"),
                satisfied=Count("pk", filter=Q(level__in=SATISFIED_LEVELS)),
                bad=Count("pk", filter=~Q(level__in=SATISFIED_LEVELS)),
            )
            .order_by(path)
        )
        tables[name] = [
            SatisfactionRow(
                label=str(words(row[path]) if words else row[path]),
                rated=row["rated"],
                satisfied=row["satisfied"],
                bad=row["bad"],
            )
            for row in rows
        ]
    return tables


def open_reviews_for_user(*, user: User, limit: int = 100) -> list[RatingReview]:
    """Reviews of bad ratings still open, oldest due first, on cases the supervisor sees."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.supervised_unit_ids):
        raise NotFound
    return list(
        RatingReview.objects.filter(
            status__in=REVIEW_OPEN, case__in=Case.objects.filter(visible_cases_q(scope))
        )
        .select_related("case", "rating", "deadline")
        .order_by("deadline__due_on", "opened_at")[:limit]
    )


def review_case_id_for_user(*, user: User, review_id) -> int:
    """The case of a review, for staff who work on it (NotFound otherwise)."""
    scope = scope_for(user)
    try:
        case_id = (
            RatingReview.objects.filter(
                pk=int(review_id), case__in=Case.objects.filter(visible_cases_q(scope))
            )
            .values_list("case_id", flat=True)
            .get()
        )
    except (RatingReview.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise NotFound from exc
    if scope.is_worker and not scope.is_staff_member and not scope.is_admin:
        raise NotFound
    return case_id


def case_visible_to(*, user: User, case_id) -> int:
    """The case id, if the user may see the case (NotFound otherwise): checked before a
    posted form is read, so that a case of someone else answers 404 whatever was posted."""
    try:
        case_id = int(case_id)
        if Case.objects.filter(visible_cases_q(scope_for(user)), pk=case_id).exists():
            return case_id
    except (TypeError, ValueError, OverflowError):
        pass
    raise NotFound


def rating_words(case: Case) -> str | None:
    """The worker's verdict in words (say "满意"), or None: the upstream replies' reader
    (casework.core.satisfaction)."""
    level = CaseRating.objects.filter(case_id=case.pk).values_list("level", flat=True).first()
    return str(RatingLevel(level).label) if level is not None else None
