"""The worker rates a concluded case; a bad rating opens a review with its clock; a supervisor
records the call-back; the team records that it was put right, or a supervisor that the rating
is not upheld. Each call is one transaction holding the case row lock."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.choices import CaseState
from casework.cases.lifecycle import OPEN_STATES, TRANSITIONS
from casework.cases.models import Case
from casework.clocks.paths import RATING_REVIEW
from casework.clocks.services import off_path_clock_end, off_path_clock_start
from casework.core.access import visible_cases_q
from casework.core.errors import ActionRefused, NotFound
from casework.core.outbound import send_on_commit
from casework.core.roles import Role
from casework.notifications.audiences import supervisors_over, team_members
from casework.notifications.models import NotificationKind
from casework.notifications.services import case_changed, notify
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.ratings.models import CaseRating, RatingLevel, RatingReview, ReviewStatus
from casework.timeline.choices import EventKind
from casework.timeline.events import case_rated_event, listen, rating_review_event

S = CaseState
# Concluded states whose handling the worker rates (not a withdrawal: they ended it; not a
# merged duplicate: they rate the case it continues in).
RATEABLE_STATES = frozenset({S.RESOLVED, S.CLOSED, S.REFERRED, S.NOT_ACCEPTED, S.TRANSFERRED})
STAFF = frozenset({Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR})
MAX_COMMENT = 1000


class ReviewNotFound(NotFound):
    """No such review, or on a case the actor may not see."""


def change_days() -> int:
    return int(getattr(settings, "ANXIN_RATING_CHANGE_DAYS", 7))


def changeable_until(rating: CaseRating):
    return rating.rated_at + timedelta(days=change_days())


def _clean_text(text: str, *, field: str, limit: int, required: bool = False) -> str:
    text = (text or "").strip()
    if "\x00" in text or len(text) > limit:
        raise ActionRefused(
            _("This text is too long or contains characters we cannot store."), field=field
        )
    if required and not text:
        raise ActionRefused(_("Please write what was found or done."), field=field)
    return text


def case_rate(*, actor: User, case_id, level, comment: str = "") -> CaseRating:
    """The worker rates the handling of their concluded case, or changes their rating within
    7 days of first rating it.

    Changes: the case's rating (history row), a public timeline entry, and for 不满意 or
    非常不满意 a review with its clock (RATING_REVIEW), if none is open; a change from bad to
    satisfied closes the open review as "the worker changed the rating" and stops its clock.
    Sends (after commit): the team and the supervisors over the case a notification of a bad
    rating (each time a review opens)."""
    try:
        level = RatingLevel(int(level))
    except (TypeError, ValueError) as exc:
        raise ActionRefused(_("Choose one of the five levels."), field="level") from exc
    comment = _clean_text(comment, field="comment", limit=MAX_COMMENT)
    with transaction.atomic():
        case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
        if Role.WORKER not in roles:
            raise ActionRefused(_("Only the worker who filed the complaint rates its handling."))
        if case.state not in RATEABLE_STATES:
            raise ActionRefused(_("You can rate the handling once your case is concluded."))
        now = timezone.now()
        rating = CaseRating.objects.select_for_update().filter(case=case).first()
        if rating is None:
            rating = CaseRating(case=case, worker=actor, rated_at=now)
            reason, was_bad = "rated", False
        elif now > changeable_until(rating):
            raise ActionRefused(
                _("Your rating of %(date)s can no longer be changed (%(days)s days have passed).")
                % {"date": f"{timezone.localtime(rating.rated_at):%Y-%m-%d}", "days": change_days()}
            )
        else:
            reason, was_bad = "rating changed", rating.is_bad
        rating.level, rating.comment, rating.changed_at = level, comment, now
        rating._history_user, rating._change_reason = actor, reason
        rating.save()
        case_rated_event(case=case, actor=actor, level=int(level))
        _follow_the_change(case, rating, actor, was_bad=was_bad)
        case_changed(case)
    return rating


def _follow_the_change(case: Case, rating: CaseRating, actor: User, *, was_bad: bool) -> None:
    """What a (changed) rating does to its review. Bad, with no review yet: one opens. Good
    after bad while the review is open: it closes as "the worker changed the rating", its
    clock stopped (no longer applying), its history kept. Bad after good, with a review closed
    before: it opens again with a new clock, since the worker is dissatisfied again."""
    review = RatingReview.objects.select_for_update().filter(rating=rating).first()
    if rating.is_bad and review is None:
        _open_review(case, rating, actor)
    elif rating.is_bad and not was_bad and not review.is_open:
        _open_review(case, rating, actor, review=review)
    elif not rating.is_bad and was_bad and review is not None and review.is_open:
        _withdraw_review(case, review, actor)


def _withdraw_review(case: Case, review: RatingReview, actor: User) -> None:
    review.status = ReviewStatus.WITHDRAWN
    review.closed_at, review.closed_by = timezone.now(), actor
    review._history_user, review._change_reason = actor, "rating changed to satisfied"
    review.save(update_fields=["status", "closed_at", "closed_by"])
    off_path_clock_end(deadline=review.deadline, met=False)
    rating_review_event(
        case=case,
        actor=actor,
        detail=_("Review closed: the worker changed the rating to a satisfied one."),
    )


def _open_review(
    case: Case, rating: CaseRating, actor: User, review: RatingReview | None = None
) -> RatingReview:
    """Open a review with its clock, or open again one that was closed (its earlier course
    stays in its history)."""
    deadline = off_path_clock_start(case=case, rule_key=RATING_REVIEW)
    if review is None:
        review = RatingReview(rating=rating, case=case)
        reason = "review opened"
    else:
        reason = "review opened again"
        review.findings, review.called_back_at, review.called_back_by = "", None, None
        review.outcome, review.closed_at, review.closed_by = "", None, None
    review.status, review.deadline, review.opened_at = (
        ReviewStatus.AWAITING_CALLBACK,
        deadline,
        timezone.now(),
    )
    review._history_user, review._change_reason = actor, reason
    review.save()
    rating_review_event(
        case=case, actor=actor, detail=_("Review opened: a supervisor calls the worker back.")
    )
    notify(
        recipients=[*supervisors_over(case), *team_members(case.team_id), case.assignee],
        kind=NotificationKind.RATING_BAD,
        case=case,
    )
    return review


def _lock_review(actor: User, review_id, roles_needed) -> tuple[RatingReview, Case]:
    try:
        review_id = int(review_id)
        case_id = (
            RatingReview.objects.filter(
                pk=review_id, case__in=Case.objects.filter(visible_cases_q(scope_for(actor)))
            )
            .values_list("case_id", flat=True)
            .get()
        )
    except (RatingReview.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise ReviewNotFound from exc
    case, roles = Case.objects.lock_for(actor=actor, case_id=case_id)
    if not roles & STAFF:
        raise ReviewNotFound
    if not roles & roles_needed:
        raise ActionRefused(_("Your role does not allow this on this case."))
    review = (
        RatingReview.objects.select_for_update(of=("self",))
        .select_related("deadline")
        .get(pk=review_id)
    )
    return review, case


def review_record_callback(*, actor: User, review_id, findings: str) -> RatingReview:
    """A supervisor called the worker back (回访) and records what they found; the team now
    puts it right. Changes: the review (history row), an internal timeline entry."""
    findings = _clean_text(findings, field="findings", limit=4000, required=True)
    with transaction.atomic():
        review, case = _lock_review(actor, review_id, {Role.SUPERVISOR})
        if review.status != ReviewStatus.AWAITING_CALLBACK:
            raise ActionRefused(_("The call-back is already recorded on this review."))
        review.status, review.findings = ReviewStatus.PUTTING_RIGHT, findings
        review.called_back_at, review.called_back_by = timezone.now(), actor
        review._history_user, review._change_reason = actor, "called back"
        review.save(update_fields=["status", "findings", "called_back_at", "called_back_by"])
        rating_review_event(
            case=case, actor=actor, detail=_("Called back: %(findings)s") % {"findings": findings}
        )
        case_changed(case)
    return review


def review_close(*, actor: User, review_id, upheld: bool, outcome: str) -> RatingReview:
    """Close a review after the call-back: put right (the team: what was done), or not upheld
    (a supervisor: why). Changes: the review (history row), its clock (met, or met late), an
    internal timeline entry."""
    outcome = _clean_text(outcome, field="outcome", limit=4000, required=True)
    with transaction.atomic():
        needed = STAFF if upheld else {Role.SUPERVISOR}
        review, case = _lock_review(actor, review_id, needed)
        if review.status != ReviewStatus.PUTTING_RIGHT:
            if review.status == ReviewStatus.AWAITING_CALLBACK:
                raise ActionRefused(_("Record the call-back first."))
            raise ActionRefused(_("This review is already closed."))
        review.status = ReviewStatus.PUT_RIGHT if upheld else ReviewStatus.NOT_UPHELD
        review.outcome, review.closed_at, review.closed_by = outcome, timezone.now(), actor
        review._history_user, review._change_reason = actor, review.status
        review.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
        off_path_clock_end(deadline=review.deadline, met=True)
        words = _("Put right: %(outcome)s") if upheld else _("Rating not upheld: %(outcome)s")
        rating_review_event(case=case, actor=actor, detail=words % {"outcome": outcome})
        case_changed(case)
    return review


# Asking for the rating --------------------------------------------------------------------


def _ask_for_rating(entries) -> None:
    """When a case concludes into a rateable state, text the worker a link to their case page
    (after the commit; the page shows the rating form). Listens to the timeline."""
    for event in entries:
        if (
            event.kind == EventKind.TRANSITION
            and event.to_state in RATEABLE_STATES
            and event.from_state in OPEN_STATES
        ):
            case = event.case
            # A step that texts the worker already links them to the page with the rating
            # form: one text per step, the request to rate in their inbox.
            step = TRANSITIONS.get(event.transition)
            sms = not (step and step.texts_worker)
            send_on_commit(
                lambda case=case, sms=sms: notify(
                    recipients=[case.worker],
                    kind=NotificationKind.RATING_ASKED,
                    case=case,
                    sms=sms,
                ),
                kind="rating_asked",
                description=f"ask the worker to rate {case.reference}",
            )


listen(_ask_for_rating)
