"""Builders for the webhooks tests: complaints naming chosen companies, endpoints, the sample
receiver's verifier as the README prints it, and the deliveries a receiver got."""

import json
import re
from pathlib import Path

from casework.intake.services import PartyInput
from platforms.webhooks.choices import EventType
from platforms.webhooks.services import endpoint_create
from tests.factories.cases import make_case

README = Path(__file__).resolve().parents[3] / "README.md"
ALL_EVENTS = list(EventType.values)


def file_case(org, *companies, **fields):
    """A complaint naming `companies` (platform first), filed by the worker online."""
    parties = [PartyInput(kind=c.kind, company=c) for c in companies]
    fields.setdefault("worker_name", "张小明")
    return make_case(worker=org.worker, street=org.a.street, parties=parties, **fields)


def register(user, company, url, events=None):
    """An endpoint registered through the service; returns (endpoint, secret)."""
    return endpoint_create(actor=user, company_id=company.pk, url=url, events=events or ALL_EVENTS)


def sample_verifier():
    """`verify_anxin_signature` exactly as the README's Webhooks section prints it."""
    section = README.read_text(encoding="utf-8").split("## Webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    return namespace["verify_anxin_signature"]


def payloads(receiver, path=None) -> list[dict]:
    return [
        json.loads(request.body)
        for request in receiver.requests
        if path is None or request.path == path
    ]
