"""Recomputing every company's risk level: a pass of the sweep (sweep_deadlines).

Signals come from a fixed number of grouped queries (platforms.risk.signals); rows whose level,
points or values moved are written in bulk. A change of level is written with a conditional
UPDATE on the old level, so that two sweeps running at once record (and notify) it once; each
change adds a history row, and a move to red tells the district's supervisors at once."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from casework.notifications.services import notify_many
from platforms.models import Company
from platforms.risk.audiences import district_supervisors
from platforms.risk.choices import LEVEL_ORDER, RiskLevel
from platforms.risk.models import CompanyRisk, CompanyRiskChange, RiskBand, RiskRule
from platforms.risk.notices import RISK_RED
from platforms.risk.scoring import Rules, score
from platforms.risk.signals import company_signals

BATCH = 1000


@dataclass
class RiskReport:
    companies: int = 0
    updated: int = 0
    changed: int = 0
    to_red: int = 0


def risk_rules() -> Rules:
    steps: dict[str, list] = {}
    for rule in RiskRule.objects.order_by("signal", "-threshold"):
        steps.setdefault(rule.signal, []).append((rule.threshold, rule.points))
    # The most severe level whose band the points reach: red first, whatever the numbers.
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    bands = sorted(
        ((band.min_points, band.level) for band in RiskBand.objects.all()),
        key=lambda band: order.get(band[1], 9),
    )
    return Rules(steps=steps, bands=bands)


def risk_recompute(*, now: datetime | None = None) -> RiskReport:
    """Recompute every company's level. Idempotent: a second run with nothing new writes
    nothing and tells nobody."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    rules = risk_rules()
    values, streets = company_signals(today=today, start_of_today=start)
    report = RiskReport()
    company_ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    report.companies = len(company_ids)
    for first in range(0, len(company_ids), BATCH):
        batch = company_ids[first : first + BATCH]
        _recompute_batch(batch, values, streets, rules, now, report)
    return report


def _fresh_row(pk: int, own: dict, street_id, rules: Rules, now) -> CompanyRisk:
    _level, points, reasons = score(own, rules)
    return CompanyRisk(
        company_id=pk,
        level=RiskLevel.NONE,
        points=points,
        values=_json_values(own),
        reasons=reasons,
        street_id=street_id,
        computed_at=now,
    )


def _json_values(values: dict) -> dict:
    return {signal: str(value) for signal, value in sorted(values.items())}


def _recompute_batch(company_ids, values, streets, rules, now, report: RiskReport) -> None:
    with transaction.atomic():
        current = CompanyRisk.objects.in_bulk(company_ids)
        missing = [pk for pk in company_ids if pk not in current]
        if missing:
            # New rows start at no risk with their signals; a level above that is then
            # written as a move below (history, notices), like any other.
            fresh = [
                _fresh_row(pk, values.get(pk, {}), streets.get(pk), rules, now) for pk in missing
            ]
            # A row another sweep inserted meanwhile holds the same figures: ours stand in.
            CompanyRisk.objects.bulk_create(fresh, ignore_conflicts=True)
            current.update((row.company_id, row) for row in fresh)
            report.updated += len(fresh)
        quiet, moved = [], []
        for pk in company_ids:
            row = current.get(pk)
            if row is None:
                continue
            own = values.get(pk, {})
            level, points, reasons = score(own, rules)
            new = {
                "points": points,
                "values": _json_values(own),
                "reasons": reasons,
                "street_id": streets.get(pk),
            }
            unchanged = all(getattr(row, field) == value for field, value in new.items())
            if level == row.level and unchanged and row.computed_at is not None:
                continue
            if level != row.level:
                moved.append((row, level, new))
                continue
            for field, value in new.items():
                setattr(row, field, value)
            row.computed_at = now
            quiet.append(row)
        if quiet:
            # Small batches: bulk_update's CASE per row and field grows with the square of
            # the batch (1,000 rows took seconds each).
            CompanyRisk.objects.bulk_update(
                quiet, ["points", "values", "reasons", "street_id", "computed_at"], batch_size=100
            )
            report.updated += len(quiet)
        _write_moves(moved, now, report)


def _write_moves(moved, now, report: RiskReport) -> None:
    """Each change of level: only if the row still has the level we read (another sweep may
    have written it), then its history row and, for red, the notices."""
    changes, reds = [], []
    for row, level, new in moved:
        written = CompanyRisk.objects.filter(pk=row.pk, level=row.level).update(
            level=level, computed_at=now, level_since=now, **new
        )
        if not written:
            continue
        changes.append(
            CompanyRiskChange(
                company_id=row.pk,
                previous=row.level,
                level=level,
                points=new["points"],
                reasons=new["reasons"],
                changed_at=now,
            )
        )
        if level == RiskLevel.RED:
            reds.append((row.pk, new))
    CompanyRiskChange.objects.bulk_create(changes)
    report.changed += len(changes)
    report.updated += len(changes)
    report.to_red += len(reds)
    if reds:
        names = dict(
            Company.objects.filter(pk__in=[pk for pk, _n in reds]).values_list("pk", "name")
        )
        people = district_supervisors()
        notify_many(
            [
                (
                    people,
                    RISK_RED,
                    None,
                    {
                        "company_id": pk,
                        "company": names.get(pk, ""),
                        "points": new["points"],
                        "reasons": new["reasons"][:3],
                    },
                )
                for pk, new in reds
            ]
        )
