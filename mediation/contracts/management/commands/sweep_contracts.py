"""Bring reviewed collective contracts into force and expire those past their term.
Idempotent: safe every few minutes, and in several copies."""

from django.core.management.base import BaseCommand

from mediation.contracts.services.lifecycle import contracts_sweep


class Command(BaseCommand):
    help = (
        "Collective contracts: in force when the review period passed without objection; "
        "expired when the term is over."
    )

    def handle(self, *args, **options):
        report = contracts_sweep()
        self.stdout.write(
            f"in force {len(report.came_into_force)}, expired {len(report.expired)}, "
            f"left for the next run (locked by another sweep) {report.skipped_locked}"
        )
