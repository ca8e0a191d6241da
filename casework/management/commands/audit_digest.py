"""Seal ended days of the audit chain (nightly, from cron): each day's chain head and Merkle
root, printed as JSON for the city bureau."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.audit.digests import digest_as_dict, digest_record, digests_record_missing


class Command(BaseCommand):
    help = "Record the daily digest of the audit chain (yesterday and any day missed before)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="seal this day (YYYY-MM-DD, Beijing time) only")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date takes a day as YYYY-MM-DD") from exc
            if day >= timezone.localdate():
                raise CommandError("only a day that has ended can be sealed")
            digests = [digest_record(day=day)]
        else:
            digests = digests_record_missing()
        for digest in digests:
            self.stdout.write(json.dumps(digest_as_dict(digest), ensure_ascii=False))
