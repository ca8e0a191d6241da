import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "arrears"
    verbose_name = _("Wage arrears")

    def ready(self):
        # A case resolves once its payments are confirmed (casework cannot import arrears).
        from arrears.services.payments import unconfirmed_words
        from casework.cases.models.case import RESOLVE_PAYMENT_CHECKS

        if unconfirmed_words not in RESOLVE_PAYMENT_CHECKS:
            RESOLVE_PAYMENT_CHECKS.append(unconfirmed_words)
        # The case page reads the ledger's tables with its own, in one round trip.
        from arrears.ledger import ledger_reads
        from casework.cases.selectors import CASE_PAGE_PANEL_READS

        if ledger_reads not in CASE_PAGE_PANEL_READS:
            CASE_PAGE_PANEL_READS.append(ledger_reads)
        # The employer's payments in the platform API (the API cannot import arrears).
        from ninja.errors import ConfigError

        from platforms.api.api import api

        # Mounted already when Django was set up twice in this process.
        with contextlib.suppress(ConfigError):
            api.add_router("/", "arrears.employer_api.router")
