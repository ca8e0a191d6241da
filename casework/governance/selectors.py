"""Reads of governance work for one user, within their units (casework.governance.access).
Each answers NotFound for a user who sees no unit, or for an id outside their units. Lists
run a fixed number of queries whatever their length."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from casework.core.bounds import parse_id
from casework.core.errors import NotFound
from casework.governance.access import governance_scope
from casework.governance.choices import ScreeningStatus
from casework.governance.models import (
    Campaign,
    Commitment,
    Outreach,
    RoundTable,
    Screening,
    ScreeningFinding,
)

OPEN_FINDING = Q(findings__complies=False, findings__corrected_on__isnull=True)


def _scope(user):
    scope = governance_scope(user)
    if not scope.sees_anything:
        raise NotFound
    return scope


def _in_units(queryset: QuerySet, scope, field: str = "unit_id") -> QuerySet:
    if scope.everything:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(scope.visible_unit_ids)})


def may_see_governance(user) -> bool:
    return user.is_authenticated and governance_scope(user).sees_anything


def screening_list_for_user(
    *, user, status: str = "", unit_id=None, overdue: bool = False, campaign_id=None
) -> QuerySet[Screening]:
    scope = _scope(user)
    screenings = _in_units(Screening.objects.all(), scope)
    if status:
        screenings = screenings.filter(status=status)
    if unit_id:
        screenings = screenings.filter(unit_id=parse_id(unit_id) or 0)
    if campaign_id:
        screenings = screenings.filter(campaign_id=parse_id(campaign_id) or 0)
    if overdue:
        screenings = screenings.filter(
            status=ScreeningStatus.CORRECTING, correction_due__lt=timezone.localdate()
        )
    return (
        screenings.select_related("company", "unit", "campaign")
        .annotate(open_findings=Count("findings", filter=OPEN_FINDING))
        .order_by("-screened_on", "-pk")
    )


def screening_get_for_user(*, user, screening_id) -> Screening:
    scope = _scope(user)
    pk = parse_id(screening_id)
    screening = (
        _in_units(Screening.objects.filter(pk=pk or 0), scope)
        .select_related("company", "unit", "campaign", "recorded_by")
        .prefetch_related("findings", "inspectors")
        .first()
    )
    if screening is None:
        raise NotFound
    return screening


@dataclass
class CampaignProgress:
    targets: int
    screened: int
    findings_open: int
    findings_corrected: int

    @property
    def percent(self) -> int:
        return round(100 * self.screened / self.targets) if self.targets else 0


def campaign_list_for_user(*, user) -> list[tuple[Campaign, CampaignProgress]]:
    """Campaigns of the user's units and the units above them, each with its progress within
    the user's units: four queries."""
    scope = _scope(user)
    campaigns = Campaign.objects.select_related("unit").annotate(
        target_count=Count("targets", distinct=True)
    )
    if not scope.everything:
        campaigns = campaigns.filter(unit_id__in=sorted(scope.campaign_unit_ids))
    campaigns = list(campaigns.order_by("-starts_on", "-pk")[:100])
    progress = _progress(scope, [c.pk for c in campaigns])
    return [(c, progress.get(c.pk) or CampaignProgress(c.target_count, 0, 0, 0)) for c in campaigns]


def _progress(scope, campaign_ids: list[int]) -> dict[int, CampaignProgress]:
    if not campaign_ids:
        return {}
    targets = dict(
        Campaign.targets.through.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
        .order_by()
    )
    screened = dict(
        _in_units(Screening.objects.filter(campaign_id__in=campaign_ids), scope)
        .values("campaign_id")
        .annotate(n=Count("company_id", distinct=True))
        .values_list("campaign_id", "n")
        .order_by()
    )
    findings = {
        row["screening__campaign_id"]: row
        for row in _in_units(
            ScreeningFinding.objects.filter(
                screening__campaign_id__in=campaign_ids, complies=False
            ),
            scope,
            "screening__unit_id",
        )
        .values("screening__campaign_id")
        .annotate(
            open=Count("pk", filter=Q(corrected_on__isnull=True)),
            corrected=Count("pk", filter=Q(corrected_on__isnull=False)),
        )
        .order_by()
    }
    return {
        pk: CampaignProgress(
            targets=targets.get(pk, 0),
            screened=screened.get(pk, 0),
            findings_open=findings.get(pk, {}).get("open", 0),
            findings_corrected=findings.get(pk, {}).get("corrected", 0),
        )
        for pk in campaign_ids
    }


@dataclass
class CampaignDetail:
    campaign: Campaign
    progress: CampaignProgress
    # (company, its latest screening in the user's units or None)
    targets: list
    screenings: list[Screening]


def campaign_get_for_user(*, user, campaign_id) -> CampaignDetail:
    scope = _scope(user)
    pk = parse_id(campaign_id)
    campaign = Campaign.objects.select_related("unit").filter(pk=pk or 0).first()
    if campaign is None or not (scope.everything or campaign.unit_id in scope.campaign_unit_ids):
        raise NotFound
    screenings = list(screening_list_for_user(user=user, campaign_id=campaign.pk)[:500])
    latest = {}
    for screening in screenings:
        latest.setdefault(screening.company_id, screening)
    targets = [
        (company, latest.get(company.pk)) for company in campaign.targets.order_by("name", "pk")
    ]
    progress = _progress(scope, [campaign.pk])[campaign.pk]
    return CampaignDetail(campaign, progress, targets, screenings)


def outreach_totals_for_user(*, user) -> dict:
    """Lectures held in the user's units and whom they reached, in all."""
    return _in_units(Outreach.objects.all(), _scope(user)).aggregate(
        lectures=Count("pk"), companies=Sum("companies_reached"), workers=Sum("workers_reached")
    )


def outreach_list_for_user(*, user) -> tuple[list[Outreach], dict]:
    lectures = _in_units(Outreach.objects.select_related("unit"), _scope(user))
    totals = outreach_totals_for_user(user=user)
    return list(lectures.order_by("-held_on", "-pk")[:200]), totals


def round_table_list_for_user(*, user) -> QuerySet[RoundTable]:
    scope = _scope(user)
    today = timezone.localdate()
    return (
        _in_units(RoundTable.objects.select_related("unit"), scope)
        .annotate(
            commitment_count=Count("commitments"),
            overdue_count=Count(
                "commitments",
                filter=Q(commitments__kept_on__isnull=True, commitments__due_on__lt=today),
            ),
        )
        .order_by("-held_on", "-pk")
    )


def round_table_get_for_user(*, user, round_table_id) -> RoundTable:
    scope = _scope(user)
    pk = parse_id(round_table_id)
    meeting = (
        _in_units(RoundTable.objects.filter(pk=pk or 0), scope)
        .select_related("unit", "recorded_by")
        .prefetch_related("commitments__company")
        .first()
    )
    if meeting is None:
        raise NotFound
    return meeting


def overdue_commitments_for_user(*, user, today: date | None = None) -> QuerySet[Commitment]:
    scope = _scope(user)
    today = today or timezone.localdate()
    return (
        _in_units(Commitment.objects.all(), scope, "round_table__unit_id")
        .filter(kept_on__isnull=True, due_on__lt=today)
        .select_related("round_table", "company")
        .order_by("due_on", "pk")
    )


def commitment_get_for_user(*, user, commitment_id) -> Commitment:
    """A commitment of a round table in the user's units (NotFound otherwise)."""
    scope = _scope(user)
    pk = parse_id(commitment_id)
    commitment = _in_units(
        Commitment.objects.filter(pk=pk or 0), scope, "round_table__unit_id"
    ).first()
    if commitment is None:
        raise NotFound
    return commitment
