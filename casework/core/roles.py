"""The roles people hold: the vocabulary every access check speaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    COORDINATOR = "coordinator", _("Coordinator")
    MEDIATOR = "mediator", _("Mediator")
    INSPECTOR = "inspector", _("Inspector")
    SUPERVISOR = "supervisor", _("Supervisor")
    PLATFORM_REPRESENTATIVE = "platform_representative", _("Platform representative")
    ADMIN = "admin", _("Administrator")


# Roles held through a team membership; the others come from the account itself.
TEAM_ROLES = (Role.COORDINATOR, Role.MEDIATOR, Role.INSPECTOR, Role.SUPERVISOR)

# Roles that work on cases (as opposed to the worker, the platforms and the administrator).
STAFF_ROLES = frozenset(TEAM_ROLES)
# Who gives cases to people (and groups related complaints).
ASSIGNERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
