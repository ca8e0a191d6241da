"""Check the audit chain and the daily digests; exit 1 naming the first broken link."""

import datetime as dt
import json
import time

from django.core.management.base import BaseCommand, CommandError

from casework.audit.verify import verify_chain

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recompute the audit chain and the daily digests. Exits with 1 and names the first "
        "broken link (table, row, fields changed) when anything was altered."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help="start from the last digest before this day (YYYY-MM-DD): a cheap nightly run",
        )
        parser.add_argument(
            "--digests",
            help="a JSON file of exported digests (one object a line, or a list) to check against",
        )

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since takes a day as YYYY-MM-DD") from exc
        exported = _read_digests(options["digests"]) if options["digests"] else None
        started = time.monotonic()
        report = verify_chain(since=since, exported=exported)
        seconds = time.monotonic() - started
        summary = (
            f"checked {report.entries} entries after entry {report.start_seq} and "
            f"{report.digests} digests in {seconds:.1f} s"
        )
        if report.ok:
            self.stdout.write(f"OK: {summary}")
            return
        self.stderr.write(f"FIRST BROKEN LINK: {report.first}")
        for problem in report.problems[:SHOWN]:
            self.stderr.write(f"  {problem}")
        if len(report.problems) > SHOWN:
            self.stderr.write(f"  ... and {len(report.problems) - SHOWN} more")
        self.stderr.write(f"FAILED: {len(report.problems)} problems; {summary}")
        raise SystemExit(1)


def _read_digests(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read().strip()
        if text.startswith("["):
            return json.loads(text)
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read the digests file: {exc}") from exc
