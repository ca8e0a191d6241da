"""Warn before deadlines and escalate missed ones. Safe every minute, and in several copies."""

from django.core.management.base import BaseCommand

from arrears.services.enforcement import ledger_sweep
from casework.channels.reply_sweep import upstream_reply_sweep
from casework.clocks.sweep import sweep_deadlines
from platforms.risk.services import risk_recompute


class Command(BaseCommand):
    help = "Warn teams before statutory deadlines; escalate cases whose deadline was missed."

    def handle(self, *args, **options):
        report = sweep_deadlines()
        self.stdout.write(
            f"warned {report.warned}, missed {report.breached}, escalated {report.escalated}, "
            f"left for the next run (locked by another sweep) {report.skipped_locked}"
        )
        # Replies owed to upstream sources (hotlines, the national clue platform).
        upstream = upstream_reply_sweep()
        self.stdout.write(
            f"upstream replies due soon {upstream.due_soon}, overdue {upstream.overdue}"
        )
        # The arrears ledger's own clocks: missed instalments and payment orders.
        ledger = ledger_sweep()
        self.stdout.write(
            f"instalments missed {ledger.instalments_missed}, payment orders missed "
            f"{ledger.orders_missed}, complied {ledger.orders_complied}"
        )
        # Employer risk levels, from the signals as they now stand (after the passes above).
        risk = risk_recompute()
        self.stdout.write(
            f"risk: {risk.companies} companies, {risk.changed} changed level, {risk.to_red} now red"
        )
