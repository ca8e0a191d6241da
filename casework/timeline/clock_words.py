"""The clocks' timeline entries in the reader's words: what was stored as keys and values
(a rule's name, a length and its unit, dates, a why-key) is put into sentences when shown."""

from collections.abc import Callable

from django.utils.translation import gettext, ngettext

from casework.cases.choices import CaseState
from casework.timeline.choices import EventKind

CLOCK_KINDS = frozenset(
    {
        EventKind.DEADLINE_EXTENDED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_REFUSED,
        EventKind.DEADLINES_RECOMPUTED,
        EventKind.DEADLINES_CANCELLED,
    }
)


def length_words(n: int, unit: str) -> str:
    """ "5 working days" or "15 days": a length in its own unit."""
    if unit == "calendar":
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}


def _state(key: str) -> str:
    return str(CaseState(key).label) if key in CaseState.values else key


# Deadline rules have a name per language; the timeline stores the name the rule had (Chinese)
# and the clocks register how to say it in the reader's language.
RULE_NAME_WORDS: list[Callable[[str], str]] = []


def rule_name_words(name: str) -> str:
    for words in RULE_NAME_WORDS:
        name = words(name)
    return name


_rule = rule_name_words


def clock_headline(kind: str, params: dict, label: str) -> str:
    if kind == EventKind.DEADLINES_RECOMPUTED:
        return gettext("Deadlines recomputed on the official calendar of %(year)s") % {
            "year": params.get("year", "")
        }
    if kind == EventKind.DEADLINES_CANCELLED:
        return f"{label}: {'、'.join(_rule(name) for name in params.get('cancelled', []))}"
    if not params.get("rule"):  # an entry written before entries kept their parameters
        return label
    length = length_words(int(params.get("days") or 0), params.get("unit", "working"))
    if kind == EventKind.DEADLINE_EXTENDED and params.get("due"):
        return f"{label}: " + gettext("%(rule)s, by %(length)s, now due %(due)s") % {
            "rule": _rule(params["rule"]),
            "length": length,
            "due": params["due"],
        }
    return f"{label}: " + gettext("%(rule)s, by %(length)s") % {
        "rule": _rule(params["rule"]),
        "length": length,
    }


def clock_detail(kind: str, params: dict, reason: str) -> str:
    if kind == EventKind.DEADLINES_RECOMPUTED:
        lines = []
        for change in params.get("changes", []):
            rule = _rule(change.get("rule", ""))
            line = f"{rule}: {change.get('was', '')} → {change.get('due', '')}"
            if change.get("provisional"):
                line += f" ({gettext('provisional')})"
            lines.append(line)
        return "\n".join(lines)
    if kind == EventKind.DEADLINES_CANCELLED:
        state = _state(params.get("state", ""))
        if params.get("why") == "stale":
            return gettext(
                "Left open from the case's earlier handling; it does not apply while the case "
                "is “%(state)s”."
            ) % {"state": state}
        return gettext("The case is now “%(state)s”: this clock does not apply there.") % {
            "state": state
        }
    return reason
