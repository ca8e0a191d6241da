from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework and organisation")

    def ready(self):
        # The audit chain listens for history rows, timeline events and documents.
        from casework.audit import chain, protection  # noqa: F401

        # The worker is asked to rate a case when it concludes (a timeline listener).
        from casework.ratings import services as ratings  # noqa: F401
