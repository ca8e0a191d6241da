"""Points and a level from a company's signals, by the rules and bands (pure: no queries)."""

from dataclasses import dataclass
from decimal import Decimal

from platforms.risk.choices import RiskLevel


@dataclass(frozen=True)
class Rules:
    # signal -> [(threshold, points)], highest threshold first
    steps: dict[str, list[tuple[Decimal, int]]]
    # [(min points, level)], highest first
    bands: list[tuple[int, str]]


def score(values: dict, rules: Rules) -> tuple[str, int, list[dict]]:
    """(level, points, reasons): each signal gives the points of the highest step it reaches;
    the reasons name the signal, its value, the step and the points, largest first."""
    reasons = []
    for signal, steps in rules.steps.items():
        value = values.get(signal)
        if not value:
            continue
        for threshold, points in steps:
            if Decimal(str(value)) >= threshold:
                reasons.append(
                    {
                        "signal": signal,
                        "value": str(value),
                        "threshold": format(threshold.normalize(), "f"),
                        "points": points,
                    }
                )
                break
    total = sum(reason["points"] for reason in reasons)
    reasons.sort(key=lambda reason: (-reason["points"], reason["signal"]))
    level = next((level for minimum, level in rules.bands if total >= minimum), RiskLevel.NONE)
    return level, total, reasons
