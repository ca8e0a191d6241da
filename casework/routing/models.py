from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.cases.choices import Category
from casework.core.language import in_reader_language
from casework.organisation.choices import TeamKind
from casework.organisation.tiers import (
    ROUTE_COLLECTIVE,
    ROUTE_ESCALATED,
    ROUTE_HANDED_BACK,
    ROUTE_REASSIGNED,
)


class RoutingRule(models.Model):
    """Where a new case goes: the most specific matching rule wins, then the lowest priority.

    A rule names a team kind; the team of that kind covering the worker's street or park
    takes the case.
    """

    category = models.CharField(
        _("category"),
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text=_("Empty: any."),
    )
    jurisdiction = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("street or park"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: any."),
        limit_choices_to={"kind__in": ["street", "park"]},
    )
    team_kind = models.CharField(_("goes to"), max_length=30, choices=TeamKind.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    note = models.CharField(_("why (Chinese)"), max_length=200, blank=True)
    note_en = models.CharField(
        _("why (English)"), max_length=200, blank=True, help_text=_("Empty: the Chinese words.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "pk"]

    def __str__(self):
        return f"{self.get_category_display() or '*'} → {self.get_team_kind_display()}"

    @property
    def localized_note(self) -> str:
        return in_reader_language(self.note, self.note_en)


# Why a case went to its team, stored on the case as a key and its parameters
# (`Case.routing`) and put into words in the reader's language when shown. A new case is
# routed by a rule; later moves (escalation, hand-back, collective case, another team) replace
# the record with their own (casework.organisation.tiers), so the page shows the latest move.
ROUTE_BY_RULE = "rule"  # {"key", "rule": pk, "note", "note_en", "category", "team_kind"}
ROUTE_NO_RULE = "no_rule"  # {"key"}


def describe_route(routing: dict | None) -> str:
    """The reason for a route in the active language ("" for an unknown key)."""
    routing = routing or {}
    key = routing.get("key")
    if key == ROUTE_BY_RULE:
        why = in_reader_language(routing.get("note") or "", routing.get("note_en") or "")
        why = why or "{} → {}".format(
            dict(Category.choices).get(routing.get("category") or "", "*"),
            dict(TeamKind.choices).get(routing.get("team_kind") or "", "*"),
        )
        return gettext("Rule %(id)d: %(why)s") % {"id": routing.get("rule") or 0, "why": why}
    if key == ROUTE_NO_RULE:
        return gettext("No rule matched: the first-contact team of the street.")
    return _describe_move(key, routing)


def _describe_move(key, routing: dict) -> str:
    team = routing.get("team") or ""
    reason = routing.get("reason") or ""
    if key == ROUTE_ESCALATED:
        if routing.get("missed"):  # by the deadline sweep: the rules' names, put into words here
            reason = gettext("Deadline missed: %(rules)s") % {"rules": "、".join(routing["missed"])}
        return gettext("Escalated to %(team)s: %(reason)s") % {"team": team, "reason": reason}
    if key == ROUTE_HANDED_BACK:
        return gettext("Handed back to %(team)s: %(reason)s") % {"team": team, "reason": reason}
    if key == ROUTE_COLLECTIVE:
        return gettext("Collective case: %(n)s workers against %(employer)s") % {
            "n": routing.get("workers", ""),
            "employer": routing.get("employer", ""),
        }
    if key == ROUTE_REASSIGNED:
        return gettext("Moved to %(team)s: %(reason)s") % {"team": team, "reason": reason}
    return ""
