from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mediation.contracts.choices import Chapter
from mediation.contracts.parameters import PARAMETERS, template_problems

OWN_TITLE_MAX = 60
OWN_TEXT_MAX = 2000


class ClauseTemplate(models.Model):
    """A clause of the library: Chinese text with {placeholders} and typed parameters.

    `parameters` maps each parameter name (defined in mediation/contracts/parameters.py, with
    its type and range) to its default value.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    chapter = models.CharField(_("chapter"), max_length=20, choices=Chapter.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    parameters = models.JSONField(_("parameters and defaults"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position in the chapter"), default=0)
    is_active = models.BooleanField(_("offered for new clauses"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause template")
        verbose_name_plural = _("clause library")
        ordering = ["chapter", "position", "key"]

    def __str__(self):
        return f"{self.get_chapter_display()} · {self.title}"

    def clean(self):
        if not isinstance(self.parameters, dict):
            raise ValidationError({"parameters": _("Give the parameters as a JSON object.")})
        problems = template_problems(self.text, self.parameters)
        if problems:
            raise ValidationError({"text": problems})

    @property
    def parameter_specs(self):
        return [PARAMETERS[name] for name in self.parameters if name in PARAMETERS]


class ContractClause(models.Model):
    """A clause of a contract: from the library with the values the sides agreed, or written by
    the drafter (own title and text, in a chapter they choose) for terms the library lacks."""

    contract = models.ForeignKey(
        "contracts.CollectiveContract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="clauses",
    )
    template = models.ForeignKey(
        ClauseTemplate,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    values = models.JSONField(_("values"), default=dict, blank=True)
    # A clause of the drafter's own (no template): its chapter, title and text.
    own_chapter = models.CharField(_("chapter"), max_length=20, choices=Chapter.choices, blank=True)
    own_title = models.CharField(_("title"), max_length=OWN_TITLE_MAX, blank=True)
    own_text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in the chapter"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "template"], name="clause_once_a_contract"),
            models.CheckConstraint(
                condition=(
                    Q(template__isnull=False, own_chapter="", own_title="", own_text="")
                    | (
                        Q(template__isnull=True)
                        & ~Q(own_chapter="")
                        & ~Q(own_title="")
                        & ~Q(own_text="")
                    )
                ),
                name="clause_from_library_or_own",
            ),
        ]

    def __str__(self):
        return f"{self.contract_id} · {self.template_id or self.own_title}"

    @property
    def is_own(self) -> bool:
        return self.template_id is None

    @property
    def chapter(self) -> str:
        return self.own_chapter if self.is_own else self.template.chapter

    @property
    def title(self) -> str:
        return self.own_title if self.is_own else self.template.title

    def value_problems(self) -> list[str]:
        """Why figures agreed before a rule changed would no longer be accepted (a cap of 0
        yuan): the page asks for them to be changed while the text still may."""
        if self.is_own:
            return []
        problems = []
        for spec in self.template.parameter_specs:
            try:
                spec.parse(self.values.get(spec.name))
            except ValueError as error:
                problems.append(str(error))
        return problems

    def parameter_rows(self):
        """(parameter, value as printed) for pages."""
        if self.is_own:
            return []
        return [
            (spec, spec.in_text(self.values[spec.name]) if spec.name in self.values else "")
            for spec in self.template.parameter_specs
        ]
