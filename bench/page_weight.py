"""Weight of the worker's intake page on the wire (issue 19: under 15 KB compressed).

What a phone downloads when a worker opens the complaint form: the HTML (answered by Django,
compressed by config/compression.py) and every stylesheet, script and icon it links to
(answered by config/static.py from the collected, pre-compressed files), each asked for with
the Accept-Encoding a current mobile browser sends. Bytes are the bodies as sent (compressed),
per resource and in total; the uncompressed size is reported beside them. /favicon.ico is
left out: the page names the SVG icon, which browsers take instead.

`.venv/bin/python -m bench.page_weight` prints it against BENCH_DATABASE_URL (or DATABASE_URL).
"""

import asyncio
import gzip
import os
import re
import sys

import brotli
from django.test import Client
from django.urls import reverse

ACCEPT_ENCODING = "gzip, deflate, br, zstd"
TARGET_BYTES = 15 * 1024
WORKER = "bench.pageweight.worker"
_LINKED = re.compile(rb'<(?:link|script)\b[^>]*?\b(?:href|src)="(/static/[^"]+)"')


def _decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    return body


def _static(path: str) -> tuple[int, int, str]:
    """(bytes sent, bytes decoded, encoding) of a static file as the ASGI layer answers it."""
    from config.static import StaticFiles

    async def not_static(scope, receive, send):
        raise LookupError(scope["path"])

    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"accept-encoding", ACCEPT_ENCODING.encode())],
    }
    asyncio.run(StaticFiles(not_static)(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    encoding = headers.get("content-encoding", "")
    return len(body), len(_decoded(body, encoding)), encoding


def _worker():
    from casework.organisation.models import User

    user, created = User.objects.get_or_create(
        username=WORKER, defaults={"mobile": "13900000019", "is_worker": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def measure(runs: int = 1) -> list[dict]:
    """Rows for `make bench`: the first step of the complaint form (the page a worker opens)
    and the second, the heaviest (it lists the platform operators for the worker to pick)."""
    from casework.intake.models import IntakeDraft

    worker = _worker()
    # The bench worker's draft stands at step 2, so both steps answer (a later step redirects
    # to the draft's step); its answers stay empty.
    IntakeDraft.objects.update_or_create(owner=worker, defaults={"step": 2, "data": {}})
    client = Client()
    client.force_login(worker)
    rows = []
    for step in (1, 2):
        path = reverse("casework:intake_step", args=[step])
        response = client.get(path, HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)
        assert response.status_code == 200, (path, response.status_code)
        encoding = response.get("Content-Encoding", "")
        html = _decoded(response.content, encoding)
        resources = [(path, len(response.content), len(html), encoding)]
        for linked in dict.fromkeys(_LINKED.findall(html)):
            resources.append((linked.decode(), *_static(linked.decode())))
        total = sum(sent for _p, sent, _d, _e in resources)
        rows.append(
            {
                "operation": f"worker intake page, step {step}: HTML + CSS + JS + icon on the "
                f"wire ({total:,} B; {sum(d for _p, _s, d, _e in resources):,} B decoded)",
                "median_ms": None,
                "p95_ms": None,
                "queries": None,
                "bytes": total,
                "resources": [
                    {"path": p, "bytes": s, "decoded_bytes": d, "encoding": e or "identity"}
                    for p, s, d, e in resources
                ],
                "target": f"under {TARGET_BYTES:,} B compressed",
                "issue": 19,
                "meets_target": total < TARGET_BYTES,
            }
        )
    return rows


def main() -> int:
    database = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        print("Set BENCH_DATABASE_URL (or DATABASE_URL) to the PostgreSQL bench database.")
        return 2
    os.environ["DATABASE_URL"] = database
    from bench.__main__ import configure

    configure()
    for row in measure():
        print(row["operation"], "meets target" if row["meets_target"] else "OVER TARGET")
        for resource in row["resources"]:
            print(
                f"  {resource['bytes']:>7,} B  {resource['encoding']:<8} "
                f"({resource['decoded_bytes']:,} B decoded)  {resource['path']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
