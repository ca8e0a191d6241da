"""What happens between the sides: representatives, consultation rounds, the congress vote."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mediation.contracts.choices import Side


class Representative(models.Model):
    """A bargaining representative (协商代表). The workers' side is chosen by the union."""

    contract = models.ForeignKey(
        "contracts.CollectiveContract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200)
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_chief = models.BooleanField(_("chief representative"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["side", "-is_chief", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "side"],
                condition=Q(is_chief=True),
                name="one_chief_a_side",
            )
        ]

    def __str__(self):
        return self.name


class ConsultationRound(models.Model):
    """One round of consultation (协商会议), with its minutes."""

    contract = models.ForeignKey(
        "contracts.CollectiveContract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"))
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"))
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="round_number_unique")
        ]

    def __str__(self):
        return f"{self.contract_id} #{self.number}"


class CongressVote(models.Model):
    """A vote of the workers' congress (职工代表大会) or of all workers on the draft.

    Passes when two thirds of the members or more attend and half of all members or more (not
    only of those present) vote yes: 以上 includes the number itself (rules.py).
    """

    contract = models.ForeignKey(
        "contracts.CollectiveContract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    version = models.ForeignKey(
        "contracts.ContractVersion",
        verbose_name=_("text voted on"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_at = models.DateTimeField(_("held at"))
    members = models.PositiveIntegerField(_("members"))
    attended = models.PositiveIntegerField(_("attended"))
    yes = models.PositiveIntegerField(_("voted yes"))
    no = models.PositiveIntegerField(_("voted no"))
    abstain = models.PositiveIntegerField(_("abstained"))
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("congress vote")
        verbose_name_plural = _("congress votes")
        ordering = ["contract", "held_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(members__gt=0), name="vote_has_members"),
            models.CheckConstraint(
                condition=Q(attended__lte=F("members")), name="vote_attendance_possible"
            ),
            models.CheckConstraint(
                condition=Q(attended__gte=F("yes") + F("no") + F("abstain")),
                name="vote_ballots_possible",
            ),
        ]

    def __str__(self):
        return f"{self.contract_id} {self.held_at:%Y-%m-%d}"
