"""Seed django-helpdesk with N tickets and time the four operations `make bench` times in Anxin.

Executed by the helpdesk virtual environment's Python, never imported by Anxin (whose
bench/helpdesk_compare.py builds that environment and runs this script):

    var/bench-helpdesk-venv/bin/python bench/helpdesk/run.py --cases 10000 [--runs 60] [--out F]

Like bench/measures.py it drives helpdesk's own views in-process through Django's test client
(full middleware, templates and queries), warms each up 5 times, counts the SQL queries of one
call, then reports the median and p95 of `runs` calls. The database (anxin_bench_helpdesk by
default) is created if missing; seeding is idempotent. One JSON object goes to stdout or --out;
progress goes to stderr.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/anxin_bench_helpdesk"
WARMUP = 5
BATCH = 5000

# Anxin's seed (bench/seed.py, STATE_WEIGHTS) folded onto helpdesk's statuses: of its seven open
# states, six are Open and mediation_failed (back in play) is Reopened; resolved is Resolved;
# closed, withdrawn, not accepted, referred and transferred are Closed.
STATUS_WEIGHTS = {1: 40, 2: 1, 3: 12, 4: 47}
# One queue per jurisdiction Anxin files cases in (each case goes to that street's station team),
# so a queue holds the same share of tickets as the coordinator's team queue holds of cases.
QUEUES = [
    ("xixing", "西兴街道"),
    ("changhe", "长河街道"),
    ("puyan", "浦沿街道"),
    ("digital-park", "滨江数字经济产业园"),
]
# Anxin's demo staff (casework/demo_data.py), the measuring user first.
STAFF = [
    "xixing.coordinator",
    "district.supervisor",
    "xixing.supervisor",
    "changhe.coordinator",
    "puyan.coordinator",
    "park.coordinator",
    "xixing.mediator",
    "changhe.mediator",
    "inspector",
    "xixing.assistant",
    "xixing.station",
    "changhe.station",
]
TOPICS = ["配送费未结算", "罚款扣除", "结算错误", "账号封禁", "抽成过高", "派单算法"]
TWENTY_TITLE = "基准测试：20 条跟进"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def setup_django(database_url: str) -> None:
    os.environ["HELPDESK_BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


@contextmanager
def given_timestamps(model, *names):
    """Let bulk_create keep the times we set instead of auto_now(_add) overwriting them."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def ensure_staff():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    staff = []
    for username in STAFF:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            # create_user fires helpdesk's signal that makes the user's UserSettings row.
            user = user_model.objects.create_user(
                username=username, email=f"{username}@example.com", is_staff=True
            )
        staff.append(user)
    return staff


def ensure_queues():
    from helpdesk.models import Queue

    return [
        Queue.objects.get_or_create(slug=slug, defaults={"title": title})[0]
        for slug, title in QUEUES
    ]


def _pick(weights: dict, rng: random.Random):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed_tickets(n: int, *, seed: int = 7) -> int:
    """Bring the database to at least n tickets; returns how many were added."""
    from django.db import connection, transaction
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket

    staff = ensure_staff()
    queues = ensure_queues()
    have = Ticket.objects.count()
    if have >= n:
        return 0
    rng = random.Random(seed + have)
    now = timezone.now()
    added = 0
    while have + added < n:
        size = min(BATCH, n - have - added)
        tickets = []
        for i in range(size):
            number = have + added + i + 1
            created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            tickets.append(
                Ticket(
                    title=f"{rng.choice(TOPICS)}：骑手{number}",
                    queue=rng.choice(queues),
                    created=created,
                    modified=created,
                    submitter_email=f"rider{number}@example.com",
                    assigned_to=rng.choice(staff) if rng.random() < 0.6 else None,
                    status=_pick(STATUS_WEIGHTS, rng),
                    description="配送费未按时结算，多次联系站点无果。",
                    priority=3,
                )
            )
        with transaction.atomic(), given_timestamps(Ticket, "created", "modified"):
            Ticket.objects.bulk_create(tickets, batch_size=BATCH)
            followups = []
            for ticket in tickets:
                # What helpdesk writes when a ticket is filed, then Anxin's 0-5 timeline steps.
                followups.append(
                    FollowUp(
                        ticket=ticket,
                        date=ticket.created,
                        title="Ticket Opened",
                        comment=ticket.description,
                        public=True,
                    )
                )
                for step in range(rng.randint(0, 5)):
                    followups.append(
                        FollowUp(
                            ticket=ticket,
                            date=ticket.created + timedelta(hours=step + 1),
                            title="Updated",
                            comment="已受理，正在核实。",
                            public=True,
                            user=ticket.assigned_to or staff[0],
                            new_status=ticket.status,
                        )
                    )
            FollowUp.objects.bulk_create(followups, batch_size=BATCH)
        added += size
        log(f"  seeded {have + added:,} / {n:,} tickets")
    log("  vacuuming")
    with connection.cursor() as cursor:
        for table in ("helpdesk_ticket", "helpdesk_followup", "helpdesk_queue", "auth_user"):
            # As Anxin's seed: VACUUM sets the visibility map (index-only scans work as after
            # autovacuum in production), ANALYZE gives the planner the new distributions.
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return added


def ticket_with_20_followups(coordinator, queue):
    from helpdesk.models import FollowUp, Ticket

    ticket = Ticket.objects.filter(title=TWENTY_TITLE).order_by("pk").first()
    if ticket is None:
        ticket = Ticket.objects.create(
            title=TWENTY_TITLE,
            queue=queue,
            submitter_email="rider-twenty@example.com",
            description="基准测试案件：九月配送费未结算。",
        )
        FollowUp.objects.create(
            ticket=ticket, title="Ticket Opened", comment=ticket.description, public=True
        )
    have = FollowUp.objects.filter(ticket=ticket).count()
    for n in range(20 - have):
        FollowUp.objects.create(
            ticket=ticket, title="Comment", comment=f"第 {n} 次联系", public=True, user=coordinator
        )
    return ticket


def _timed(call, runs: int) -> tuple[list[float], int]:
    """Exactly bench/measures.py's loop: warm-up, one counted call, then the timed calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        call()
    with CaptureQueriesContext(connection) as captured:
        call()
    queries = len(captured)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples, queries


def summarise(samples: list[float]) -> dict:
    """Exactly bench/__main__.py's summary."""
    samples = sorted(samples)
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 2),
    }


def _ok(response, expected=200):
    if response.status_code != expected:
        raise RuntimeError(f"{response.request['PATH_INFO']}: unexpected {response.status_code}")
    return response


def _check_list(payload: dict) -> None:
    """The list call must answer what Anxin's queue answers, or the comparison means nothing."""
    rows = payload["data"]
    created = [row["created"] for row in rows]
    if len(rows) != 25 or created != sorted(created, reverse=True):
        raise RuntimeError(f"ticket list: expected 25 rows newest first, got {len(rows)}")


def _every_queue_list(client, list_params: dict, runs: int) -> tuple:
    """For information, not compared: the list over every queue, what the page shows a staff
    member who has not picked one (Anxin's team queue is one street's share)."""
    from django.urls import reverse
    from helpdesk.query import query_to_base64

    every_queue = query_to_base64(
        {
            "filtering": {"status__in": [1, 2]},
            "filtering_null": {},
            "sorting": "created",
            "sortreverse": "on",
            "search_string": "",
        }
    )
    every_url = reverse("helpdesk:datatables_ticket_list", args=[every_queue])
    _check_list(_ok(client.get(every_url, list_params)).json())
    samples, queries = _timed(lambda: _ok(client.get(every_url, list_params)), runs)
    name = "staff ticket list data, every queue (for information: not compared)"
    return "queue_every_queue", name, samples, queries


def measure(runs: int, *, every_queue: bool = False) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from helpdesk.models import FollowUp, Ticket
    from helpdesk.query import query_to_base64

    coordinator = get_user_model().objects.get(username=STAFF[0])
    queue = ensure_queues()[0]
    client = Client()
    client.force_login(coordinator)
    results = []

    def record(key, name, samples, queries):
        summary = summarise(samples)
        results.append({"key": key, "operation": name, **summary, "queries": queries})
        log(f"  {name}: {summary} queries={queries}")

    # a. The JSON the staff ticket list page loads into its table, for the query the page builds
    # from ?queue=<xixing>&status=1&status=2&sort=created&sortreverse=on: the open tickets
    # (Open, Reopened) of one queue, newest first, 25 a page as DataTables asks for them.
    query = query_to_base64(
        {
            "filtering": {"queue__id__in": [queue.pk], "status__in": [1, 2]},
            "filtering_null": {},
            "sorting": "created",
            "sortreverse": "on",
            "search_string": "",
        }
    )
    list_url = reverse("helpdesk:datatables_ticket_list", args=[query])
    list_params = {"draw": "1", "start": "0", "length": "25", "search[value]": ""}
    _check_list(_ok(client.get(list_url, list_params)).json())
    samples, queries = _timed(lambda: _ok(client.get(list_url, list_params)), runs)
    record(
        "queue",
        "staff ticket list data (datatables JSON: 25 open, one queue, newest first)",
        samples,
        queries,
    )

    if every_queue:
        record(*_every_queue_list(client, list_params, runs))

    # b. The staff ticket page of a ticket with 20 follow-ups.
    ticket = ticket_with_20_followups(coordinator, queue)
    if FollowUp.objects.filter(ticket=ticket).count() != 20:
        raise RuntimeError("the ticket for the ticket page must have exactly 20 follow-ups")
    view_url = reverse("helpdesk:view", args=[ticket.pk])
    samples, queries = _timed(lambda: _ok(client.get(view_url)), runs)
    record("case_page", "ticket page (20 follow-ups)", samples, queries)

    # c. A staff member files a ticket for a caller (the staff create-ticket form).
    form = {
        "queue": queue.pk,
        "title": "基准测试：电话投诉，配送费未结算",
        "body": "基准测试：电话投诉，配送费未结算。",
        "priority": 3,
        "submitter_email": "caller@example.com",
        "assigned_to": "",
        "due_date": "",
    }
    submit_url = reverse("helpdesk:submit")
    before = Ticket.objects.count()
    samples, queries = _timed(lambda: _ok(client.post(submit_url, form), 302), runs)
    if Ticket.objects.count() - before != runs + WARMUP + 1:
        raise RuntimeError("create ticket: a POST answered 302 without filing a ticket")
    record("intake", "create ticket POST (staff files for a caller)", samples, queries)

    # d. A status change with a comment, through the update form on the ticket page: each call
    # resolves a different open ticket, as each of Anxin's accepts a different submitted case.
    fresh = list(
        Ticket.objects.filter(status=Ticket.OPEN_STATUS, queue=queue).order_by("-pk")[
            : runs + WARMUP + 1
        ]
    )
    if len(fresh) < runs + WARMUP + 1:
        raise RuntimeError(f"status change needs {runs + WARMUP + 1} open tickets; seed more")
    changed = []

    def resolve_next():
        target = fresh.pop()
        changed.append(target.pk)
        _ok(
            client.post(
                reverse("helpdesk:update", args=[target.pk]),
                {
                    "comment": "已核实，平台已补发配送费。",
                    "new_status": Ticket.RESOLVED_STATUS,
                    "public": "1",
                    "title": target.title,
                    "owner": target.assigned_to_id or 0,
                    "priority": target.priority,
                    "queue": queue.pk,
                    "due_date": "",
                    "time_spent": "",
                },
            ),
            302,
        )

    samples, queries = _timed(resolve_next, runs)
    resolved = Ticket.objects.filter(pk__in=changed, status=Ticket.RESOLVED_STATUS).count()
    if resolved != len(changed):
        raise RuntimeError("status change: a POST answered 302 without resolving the ticket")
    record("transition", "status change POST (resolve, with comment)", samples, queries)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--every-queue",
        action="store_true",
        help="also time the list over every queue (slow at 100,000 tickets; not compared)",
    )
    parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("HELPDESK_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
    )
    args = parser.parse_args()

    ensure_database(args.database_url)
    setup_django(args.database_url)
    import django
    import helpdesk
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher

    started = time.perf_counter()
    added = seed_tickets(args.cases)
    log(f"{args.cases:,} tickets ready ({added:,} added in {time.perf_counter() - started:.1f} s)")
    from helpdesk.models import Ticket

    load_before = os.getloadavg()
    results = measure(args.runs, every_queue=args.every_queue)
    database = settings.DATABASES["default"]
    report = {
        "cases": args.cases,
        "tickets_in_database": Ticket.objects.count(),
        "runs": args.runs,
        "warmup": WARMUP,
        "database": f"postgresql {database['HOST']}:{database['PORT']}/{database['NAME']}",
        "versions": {
            "django": django.get_version(),
            "django-helpdesk": version("django-helpdesk"),
            "python": platform.python_version(),
        },
        "fairness": {
            "debug": settings.DEBUG,
            "conn_max_age": database["CONN_MAX_AGE"],
            "pool": database["OPTIONS"].get("pool"),
            "password_hasher": type(get_hasher()).__name__,
            "template_loaders": settings.TEMPLATES[0]["OPTIONS"]["loaders"][0][0],
            "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
            "helpdesk_module": str(Path(helpdesk.__file__).parent),
        },
        # The machine is shared: a busy one slows both sides, so say how busy it was.
        "load_average_1min": {"before": load_before[0], "after": os.getloadavg()[0]},
        "results": results,
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
