from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from mediation.contracts.choices import INDUSTRY_NAMES_ZH, ContractState, ScopeKind
from platforms.choices import Industry

S = ContractState


class CollectiveContract(ConcurrentTransitionMixin, models.Model):
    """A collective contract (集体合同) for one platform company or an industry in a region.

    Transition methods change fields on `self` only. Each is a step of the lifecycle table
    (mediation/contracts/transitions.py), which says who may take it and what it needs;
    mediation/contracts/services/steps.py locks the row, checks the actor and the procedure,
    saves, and records history.
    """

    title = models.CharField(_("title"), max_length=200)
    scope_kind = models.CharField(_("covers"), max_length=20, choices=ScopeKind.choices)
    company = models.ForeignKey(
        "platforms.Company",
        verbose_name=_("platform company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    region = models.ForeignKey(
        "casework.Unit",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    employer_party = models.CharField(
        _("employer side"),
        max_length=200,
        help_text=_("The company, or the industry association that bargains for the employers."),
    )
    union_name = models.CharField(
        _("workers' side (union)"),
        max_length=200,
        help_text=_("The union that chooses the workers' representatives."),
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    state = FSMField(_("status"), default=S.DRAFTING, choices=S.choices, protected=True)

    # The procedure's dates. Each clock's due date is stored when its start is recorded, so
    # that the sweep can ask the database which contracts are due.
    request_on = models.DateField(_("written request to bargain"), null=True, blank=True)
    reply_due_on = models.DateField(_("reply due"), null=True, blank=True)
    reply_on = models.DateField(_("reply received"), null=True, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    filing_due_on = models.DateField(_("filing due"), null=True, blank=True)
    filed_on = models.DateField(_("received by the bureau"), null=True, blank=True)
    review_due_on = models.DateField(_("review period ends"), null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed"), null=True, blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    in_force_on = models.DateField(_("in force since"), null=True, blank=True)
    expired_on = models.DateField(_("expired on"), null=True, blank=True)

    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's two questions.
            models.Index(
                fields=["review_due_on"], condition=Q(state="filed"), name="contract_review_due"
            ),
            models.Index(fields=["term_end"], condition=Q(state="in_force"), name="contract_term"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="contract_term_order"
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope_kind="platform", company__isnull=False, region__isnull=True)
                    | Q(scope_kind="regional_industry", company__isnull=True, region__isnull=False)
                ),
                name="contract_scope_complete",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def state_label(self) -> str:
        return ContractState(self.state).label

    @property
    def industry_label(self) -> str:
        return Industry(self.industry).label if self.industry in Industry.values else ""

    @property
    def scope_text_zh(self) -> str:
        """Who the contract covers, as the contract text says it."""
        industry = INDUSTRY_NAMES_ZH.get(self.industry, "")
        if self.scope_kind == ScopeKind.PLATFORM and self.company_id:
            return f"{self.company.name}（{self.company}平台）"
        region = self.region.name if self.region_id else ""
        return f"{region}{industry}行业"

    @property
    def duty_bearer_zh(self) -> str:
        """Who bears the clauses' duties, as the contract text says it: the platform company,
        or in an industry contract the member enterprises of the association that signs."""
        if self.scope_kind == ScopeKind.PLATFORM:
            return self.employer_party
        return f"{self.employer_party}各成员企业"

    @property
    def scope_label(self) -> str:
        """Who the contract covers, for pages in the reader's language."""
        if self.scope_kind == ScopeKind.PLATFORM and self.company_id:
            return str(self.company)
        region = self.region.name if self.region_id else ""
        return f"{region} · {self.industry_label}"

    def has_review_opinion(self) -> bool:
        return bool(self.review_opinion.strip())

    # Transitions (fields on self only: no I/O, no save) ------------------------------------

    @transition(field=state, source=S.DRAFTING, target=S.CONSULTING)
    def start_consulting(self):
        pass

    @transition(field=state, source=S.CONSULTING, target=S.CONGRESS_APPROVED)
    def approve_by_congress(self):
        pass

    @transition(field=state, source=S.CONGRESS_APPROVED, target=S.SIGNED)
    def sign(self):
        pass

    @transition(field=state, source=S.SIGNED, target=S.FILED)
    def file(self):
        pass

    @transition(field=state, source=S.FILED, target=S.IN_FORCE)
    def accept_review(self):
        """The bureau states that it has no objection."""

    @transition(field=state, source=S.FILED, target=S.IN_FORCE)
    def come_into_force(self):
        """The review period passed without an objection (Labour Contract Law §54)."""

    @transition(field=state, source=S.FILED, target=S.RETURNED, conditions=[has_review_opinion])
    def return_with_opinion(self):
        pass

    @transition(field=state, source=S.RETURNED, target=S.CONSULTING)
    def revise(self):
        pass

    @transition(field=state, source=S.IN_FORCE, target=S.EXPIRED)
    def expire(self):
        pass
