from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework and organisation")

    def ready(self):
        # The audit chain listens for history rows, timeline events and documents.
        from casework.audit import chain, protection  # noqa: F401

        # Upstream replies tell the worker's verdict; a merge moves the work orders too.
        from casework.channels.services import upstream_orders_move
        from casework.core.satisfaction import SATISFACTION_READERS
        from casework.merging.services import MERGE_MOVERS
        from casework.organisation import principal

        # The worker is asked to rate a case when it concludes (a timeline listener).
        from casework.ratings import services as ratings  # noqa: F401
        from casework.ratings.selectors import rating_words

        if rating_words not in SATISFACTION_READERS:
            SATISFACTION_READERS.append(rating_words)
        if upstream_orders_move not in MERGE_MOVERS:
            MERGE_MOVERS.append(upstream_orders_move)
        # The signed-in user kept in memory is read again when people or teams change.
        principal.connect_signals()
