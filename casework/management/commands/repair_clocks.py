"""Bring existing cases' clocks in line with the path they took (casework/clocks/repair.py)."""

from django.core.management.base import BaseCommand

from casework.clocks.repair import clocks_repair
from casework.core.system import system_user


class Command(BaseCommand):
    help = (
        "Cancel, with the reason on each case's timeline, clocks that do not belong to a "
        "case's present state (e.g. the 60-working-day investigation of a case in mediation), "
        "and start those it should have (a reopened case's investigation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        repaired = clocks_repair(actor=system_user(), dry_run=dry_run)
        for case in repaired:
            self.stdout.write(
                f"{case.reference}: cancelled {', '.join(case.cancelled) or '-'}; "
                f"started {', '.join(case.started) or '-'}"
            )
        verb = "would repair" if dry_run else "repaired"
        self.stdout.write(f"{verb} {len(repaired)} cases")
