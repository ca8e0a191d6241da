from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from casework.cases.choices import (
    CaseState,
    Category,
    Channel,
    ReferralTarget,
    RelationshipCategory,
)
from casework.cases.lifecycle import OPEN_STATES
from casework.core import kept_sql
from casework.core.access import case_roles, visible_cases_q
from casework.core.bounds import parse_id
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.identity import validate_id_number
from casework.core.roles import Role
from casework.organisation import principal
from casework.organisation.access import scope_for
from casework.routing.models import describe_route

S = CaseState
MONEY = {"max_digits": 12, "decimal_places": 2}
ALL_OPEN_FOR_WITHDRAWAL = [S.SUBMITTED, S.ACCEPTED, S.VERIFYING, S.AWAITING_RESPONSE, S.MEDIATING]


# Checks a higher concern (arrears) registers: case -> why its payments do not settle it yet.
RESOLVE_PAYMENT_CHECKS: list = []


class CaseQuerySet(models.QuerySet):
    def lock_for(
        self,
        *,
        actor,
        case_id,
        roles_needed: set[Role] | frozenset[Role] | None = None,
        related: tuple[str, ...] = (),
    ) -> tuple["Case", frozenset[Role]]:
        """The case row locked for this transaction, and the actor's roles on it.

        A case the actor may not see, or a malformed id, raises CaseNotFound (a 404); with
        `roles_needed`, holding none of them raises ActionRefused. Every service that changes
        a case starts here (lock order: the case, then its clocks, claims and payments).
        `related`: more rows the caller needs (say, "worker"), joined in the same query
        rather than loaded one by one afterwards."""
        scope = scope_for(actor)
        pk = parse_id(case_id)
        if pk is None:
            raise CaseNotFound
        # The signed-in actor's statement is kept while their scope stands (principal.py).
        stamp = principal.scope_stamp(actor)
        found = kept_sql.fetch(
            ("lock case", *stamp, related) if stamp and not self.query.has_filters() else None,
            lambda pk: (
                self.select_for_update(of=("self",))
                .select_related("team", "jurisdiction", *related)
                .filter(visible_cases_q(scope), pk=pk)
            ),
            pk,
        )
        if not found:
            raise CaseNotFound
        case = found[0]
        roles = case_roles(scope, case)
        if roles_needed is not None and not roles & roles_needed:
            raise ActionRefused(gettext("Your role does not allow this on this case."))
        return case, roles


class Case(ConcurrentTransitionMixin, models.Model):
    """One worker's complaint, from intake to archive.

    Transition methods change fields on `self` only; the services in
    casework/services/cases.py lock, check, save, record history and side effects.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    state = FSMField(_("status"), default=S.SUBMITTED, choices=S.choices, protected=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    worker_name = models.CharField(_("worker's name"), max_length=100)
    # Optional, for documents a court reads; shown masked to anyone outside the bureau.
    worker_id_number = models.CharField(
        _("worker's ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    relationship = models.CharField(
        _("relationship"),
        max_length=30,
        choices=RelationshipCategory.choices,
        default=RelationshipCategory.UNDETERMINED,
    )
    jurisdiction = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("where the worker works"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        "casework.Team",
        verbose_name=_("responsible team"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Why this team: a key and its parameters (see describe_route), put into words in the
    # reader's language; `routing_reason` keeps text written before that (or by hand).
    routing = models.JSONField(_("routing"), null=True, blank=True, editable=False)
    routing_reason = models.CharField(_("why this team"), max_length=300, blank=True)
    # Denormalised from the parties when the case is filed (they do not change afterwards):
    # related complaints are found by it with an index, where a join through the parties of
    # every open case in a street took 17 ms at 100,000 cases.
    employer = models.ForeignKey(
        "platforms.Company",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=_("The lowest named company of the chain: the one that pays the worker."),
    )
    group = models.ForeignKey(
        "casework.CaseGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    still_working = models.BooleanField(_("still working there"), null=True, blank=True)
    limitation_warning = models.TextField(_("limitation warning"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount_claimed = models.DecimalField(
        _("amount claimed"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    amount_verified = models.DecimalField(_("amount verified"), **MONEY, null=True, blank=True)
    amount_agreed = models.DecimalField(_("amount agreed"), **MONEY, null=True, blank=True)
    outstanding_waived = models.TextField(_("waiver of the outstanding amount"), blank=True)
    order_ids = models.TextField(_("order numbers"), blank=True)
    description = models.TextField(_("what happened"))
    consent_to_share = models.BooleanField(_("consent to share with the employer"), default=False)
    decline_reason = models.TextField(_("reason for not accepting"), blank=True)
    referral_target = models.CharField(
        _("referred to"), max_length=20, choices=ReferralTarget.choices, blank=True
    )
    referral_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The moment of the first "accept" and the first "resolve" step (set by the transition
    # service, never cleared: a reopened case keeps its first resolution), so the statistics
    # page reads the waits' median and p90 from the case rows instead of their timelines.
    first_accepted_at = models.DateTimeField(_("first accepted"), null=True, blank=True)
    first_resolved_at = models.DateTimeField(_("first resolved"), null=True, blank=True)
    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at", "first_accepted_at", "first_resolved_at"]
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # Queues list open cases newest first. These partial indexes let PostgreSQL walk
            # open cases in order and stop at the page size, instead of sorting every open case
            # of a street (65 ms at 100,000 cases before, with team OR street in the filter).
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(state__in=OPEN_STATES),
                name="case_open_new",
            ),
            models.Index(
                fields=["assignee", "-created_at", "-id"],
                condition=Q(state__in=OPEN_STATES),
                name="case_open_assignee_new",
            ),
            # Related complaints: open, same employer, same street or team, overlapping period.
            models.Index(
                fields=["employer", "jurisdiction", "period_end"],
                condition=Q(state__in=OPEN_STATES),
                name="case_open_employer_place",
            ),
            models.Index(
                fields=["employer", "team", "period_end"],
                condition=Q(state__in=OPEN_STATES),
                name="case_open_employer_team",
            ),
            models.Index(fields=["team", "state", "-created_at"], name="case_team_state_new"),
            models.Index(fields=["jurisdiction", "state", "-created_at"], name="case_juris_new"),
            models.Index(fields=["worker", "-created_at"], name="case_worker_new"),
            # Duplicates are found by the person: open cases by ID card number
            # (casework/duplicates/finder.py; by phone it is the worker index above).
            models.Index(
                fields=["worker_id_number"],
                condition=Q(state__in=OPEN_STATES) & ~Q(worker_id_number=""),
                name="case_open_id_number",
            ),
            # The statistics page's cases filed in a range (new per day, money, waits,
            # collective) and the cases their resolutions and payments join to: read from the
            # index alone on PostgreSQL (SQLite ignores INCLUDE), not from every case row.
            models.Index(
                fields=["jurisdiction", "created_at"],
                include=[
                    "id",
                    "category",
                    "group",
                    "first_accepted_at",
                    "first_resolved_at",
                    "amount_claimed",
                    "amount_verified",
                    "amount_agreed",
                ],
                name="case_juris_filed_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="case_period_order"
            ),
            models.CheckConstraint(condition=Q(amount_claimed__gte=0), name="case_claim_positive"),
        ]

    def __str__(self):
        return self.reference

    # Labels: get_FOO_display() rebuilds and translates every choice on each call, which made
    # the queue page spend most of its time in gettext. The enum's label translates one.
    @property
    def state_label(self) -> str:
        return CaseState(self.state).label

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def routing_reason_text(self) -> str:
        """Why the case went to its team, in the reader's language (older or hand-written
        reasons as they were written)."""
        return describe_route(self.routing) or self.routing_reason

    # Conditions ------------------------------------------------------------------------------

    @property
    def amount_paid(self) -> Decimal:
        """Sum of the append-only payment rows (a selector may annotate it as `paid_total`)."""
        if hasattr(self, "paid_total"):
            return self.paid_total or Decimal("0.00")
        total = self.payments.aggregate(total=models.Sum("amount"))["total"]
        return total or Decimal("0.00")

    @property
    def amount_owed(self) -> Decimal:
        """Agreed, else verified, else the claim (unverified): never 0 for want of a figure."""
        for amount in (self.amount_agreed, self.amount_verified, self.amount_claimed):
            if amount is not None:
                return amount
        return Decimal("0.00")

    @property
    def amount_outstanding(self) -> Decimal:
        return max(Decimal("0.00"), self.amount_owed - self.amount_paid)

    def payments_unconfirmed(self) -> str:
        """Why the payments do not yet settle the case (say, one the worker has not confirmed),
        in the reader's words; "" when they do. The arrears ledger registers the check."""
        for check in RESOLVE_PAYMENT_CHECKS:
            words = check(self)
            if words:
                return words
        return ""

    def nothing_outstanding_or_waived(self) -> bool:
        if self.outstanding_waived.strip():
            return True
        return self.amount_outstanding == 0 and not self.payments_unconfirmed()

    def has_decline_reason(self) -> bool:
        return bool(self.decline_reason.strip())

    def has_referral(self) -> bool:
        return bool(self.referral_target) and bool(self.referral_reference.strip())

    # Transitions (fields on self only: no I/O, no save) ------------------------------------

    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(
        field=state, source=S.SUBMITTED, target=S.NOT_ACCEPTED, conditions=[has_decline_reason]
    )
    def decline(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.ACCEPTED], target=S.TRANSFERRED)
    def transfer(self):
        pass

    @transition(field=state, source=ALL_OPEN_FOR_WITHDRAWAL, target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=S.ACCEPTED, target=S.VERIFYING)
    def start_verification(self):
        pass

    @transition(field=state, source=S.VERIFYING, target=S.AWAITING_RESPONSE)
    def request_response(self):
        pass

    @transition(field=state, source=S.AWAITING_RESPONSE, target=S.VERIFYING)
    def record_response(self):
        pass

    @transition(field=state, source=[S.VERIFYING, S.AWAITING_RESPONSE], target=S.MEDIATING)
    def start_mediation(self):
        pass

    @transition(field=state, source=S.MEDIATING, target=S.AGREEMENT_REACHED)
    def reach_agreement(self):
        pass

    @transition(field=state, source=S.MEDIATING, target=S.MEDIATION_FAILED)
    def fail_mediation(self):
        pass

    @transition(
        field=state,
        source=[S.VERIFYING, S.AGREEMENT_REACHED],
        target=S.RESOLVED,
        conditions=[nothing_outstanding_or_waived],
    )
    def resolve(self):
        pass

    @transition(
        field=state,
        source=[S.VERIFYING, S.AWAITING_RESPONSE, S.MEDIATION_FAILED],
        target=S.REFERRED,
        conditions=[has_referral],
    )
    def refer(self):
        pass

    @transition(
        field=state, source=S.AGREEMENT_REACHED, target=S.REFERRED, conditions=[has_referral]
    )
    def report_breach(self):
        pass

    @transition(
        field=state,
        source=[S.REFERRED, S.RESOLVED, S.NOT_ACCEPTED, S.TRANSFERRED, S.WITHDRAWN],
        target=S.CLOSED,
    )
    def close(self):
        pass

    @transition(field=state, source=[S.RESOLVED, S.CLOSED], target=S.VERIFYING)
    def reopen(self):
        pass

    # A duplicate, once its contents moved to the surviving case (casework.merging).
    @transition(field=state, source=list(OPEN_STATES), target=S.MERGED)
    def merge(self):
        pass
