from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.cases.choices import (
    CaseState,
)
from casework.timeline.choices import EventKind
from casework.timeline.clock_words import (  # noqa: F401 (RULE_NAME_WORDS: registered here)
    CLOCK_KINDS,
    RULE_NAME_WORDS,
    clock_detail,
    clock_headline,
    rule_name_words,
)
from casework.timeline.employer_words import employer_response_words


class CaseEvent(models.Model):
    """The timeline: what happened, in words a worker can read when `is_public`."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    transition = models.CharField(_("transition"), max_length=30, blank=True)
    from_state = models.CharField(
        _("state before"), max_length=30, choices=CaseState.choices, blank=True
    )
    to_state = models.CharField(
        _("state after"), max_length=30, choices=CaseState.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    # What the system (not a person) records, as keys and values: put into the reader's words
    # when shown (a team's name, the rules of missed deadlines, a due date).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    is_public = models.BooleanField(_("visible to the worker"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="event_case_new"),
            # The statistics page (casework/supervision/measures.py): a case's first
            # acceptance and resolution, and the resolutions of a date range.
            models.Index(
                fields=["case", "transition", "created_at"],
                condition=models.Q(kind="transition", transition__in=("accept", "resolve")),
                name="event_first_steps",
            ),
            models.Index(
                fields=["created_at", "case"],
                condition=models.Q(kind="transition", transition="resolve"),
                name="event_resolved_on",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.transition}"

    @property
    def headline(self) -> str:
        """What happened, in the reader's language (one lookup, not a template's worth)."""
        from django.utils.translation import gettext

        kind = self.kind
        if kind == EventKind.FILED:
            return gettext("Complaint filed")
        if kind == EventKind.TRANSITION:
            return gettext("Status changed to “%(state)s”") % {
                "state": CaseState(self.to_state).label
            }
        if kind == EventKind.ASSIGNED:
            if self.reason:
                return gettext("Assigned to %(name)s") % {"name": self.reason}
            return gettext("Assignment removed")
        if kind == EventKind.EVIDENCE_ADDED:
            return f"{gettext('Evidence added')}: {self.reason}"
        if kind == EventKind.NOTE_ADDED:
            if self.is_public:
                return f"{gettext('Note')} ({gettext('visible to the worker')})"
            return gettext("Note")
        params = self.params or {}
        if kind in CLOCK_KINDS:
            return clock_headline(kind, params, label=str(EventKind(kind).label))
        if kind == EventKind.ESCALATED and params.get("team"):
            return gettext("Escalated to %(team)s") % {"team": params["team"]}
        if kind == EventKind.DEESCALATED and params.get("team"):
            return gettext("Handed back to %(team)s") % {"team": params["team"]}
        if kind == EventKind.AGREEMENT_VOIDED and params.get("drawn_up"):
            return gettext(
                "The draft agreement of %(date)s (%(amount)s) was voided: it binds no one"
            ) % {"date": params["drawn_up"], "amount": params.get("amount", "")}
        if kind == EventKind.EMPLOYER_RESPONDED:
            return employer_response_words(params)
        label = str(EventKind(kind).label)
        if params.get("rule"):  # a deadline warned of or missed
            return f"{label}: {rule_name_words(params['rule'])} · {params.get('due', '')}"
        if kind == EventKind.MEDIATION_SCHEDULED and self.reason and " · " not in self.reason:
            # A session by meeting link: its time alone is stored, the word is the reader's.
            return f"{label}: {self.reason} · {gettext('online')}"
        if kind in EVENTS_WITH_DETAIL and self.reason:
            words = EVENT_DETAIL_WORDS.get(kind)
            return f"{label}: {words(self.reason) if words else self.reason}"
        return label

    @property
    def detail(self) -> str:
        """The words under the headline: what a person wrote, or what the system recorded put
        into the reader's language."""
        from django.utils.translation import gettext

        if self.kind in CLOCK_KINDS:
            return clock_detail(self.kind, self.params or {}, self.reason)
        missed = (self.params or {}).get("missed")
        if missed:
            names = "、".join(rule_name_words(name) for name in missed)
            return gettext("Deadline missed: %(rules)s") % {"rules": names}
        return self.reason


# Other apps' events whose `reason` stores a key: the app registers how to put it into the
# reader's words (mediation: a held session's outcome), so no one reads the writer's language.
EVENT_DETAIL_WORDS: dict[str, Callable[[str], str]] = {}


# Events whose `reason` holds a detail worth showing in the headline (a time and place).
EVENTS_WITH_DETAIL = {
    EventKind.MEDIATION_SCHEDULED,
    EventKind.MEDIATION_HELD,
    EventKind.MEDIATION_CANCELLED,
    EventKind.AGREEMENT_RECORDED,
    EventKind.AMOUNT_VERIFIED,
    EventKind.PAYMENT_RECORDED,
    EventKind.PAYMENT_REVERSED,
    EventKind.PAYMENT_CONFIRMED,
    EventKind.PAYMENT_DISPUTED,
    EventKind.INSTALMENT_MISSED,
    EventKind.PAYMENT_ORDER_ISSUED,
    EventKind.PAYMENT_ORDER_MISSED,
    EventKind.MERGED_FROM,
    EventKind.SPLIT_OFF,
    EventKind.SPLIT_FROM,
    EventKind.RATED,
    EventKind.RATING_REVIEW,
}
