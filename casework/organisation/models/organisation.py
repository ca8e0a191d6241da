from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casework.core.roles import TEAM_ROLES, Role
from casework.organisation.choices import TEAM_KIND_TIER, Language, TeamKind, Tier, UnitKind
from casework.organisation.validators import validate_mainland_mobile


class User(AbstractUser):
    """Anyone who signs in: workers (mobile + one-time code) and staff (username + password)."""

    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mainland_mobile],
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )
    is_worker = models.BooleanField(
        _("worker account"),
        default=False,
        help_text=_("Workers sign in with their mobile number and a one-time code."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @property
    def name(self) -> str:
        if self.display_name or self.get_full_name():
            return self.display_name or self.get_full_name()
        if self.is_worker and self.mobile:
            return f"{self.mobile[:3]}****{self.mobile[-4:]}"
        return self.username


class Unit(models.Model):
    """Tier 1: the district, its departments, its streets and industrial parks."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(pgettext_lazy("identifier", "code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=UnitKind.DISTRICT) | Q(parent__isnull=False),
                name="unit_has_parent_unless_district",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_jurisdiction(self) -> bool:
        """Streets and parks are where workers work; routing follows them."""
        return self.kind in (UnitKind.STREET, UnitKind.PARK)


class Team(models.Model):
    """Tier 2 (coordinators, mediators, inspection assistants) or tier 3 (service station)."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(pgettext_lazy("identifier", "code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=TeamKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="teams"
    )
    covers = models.ManyToManyField(
        Unit,
        verbose_name=_("streets and parks covered"),
        related_name="covering_teams",
        blank=True,
        limit_choices_to={"kind__in": [UnitKind.STREET, UnitKind.PARK]},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["unit__name", "kind", "name"]

    def __str__(self):
        return self.name

    @property
    def tier(self) -> Tier:
        return TEAM_KIND_TIER[TeamKind(self.kind)]


class Membership(models.Model):
    """A staff member's role in a team. A supervisor's scope is the team's unit and below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=30, choices=[(r.value, r.label) for r in TEAM_ROLES]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in TEAM_ROLES]), name="membership_team_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.team}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
