"""What a webhook says about a case: enough for the platform's system to find the case and
act, with the worker's data masked as on the portal, and nothing the bureau keeps to itself
(no notes, no description, no evidence)."""

import json
import uuid
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, CaseParty
from casework.clocks.models import Deadline
from platforms.portal.masking import mask_mobile, mask_name
from platforms.portal.selectors import RESPONSE_RULE


def _money(amount) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def site_url(path: str) -> str:
    return settings.ANXIN_SITE_URL.rstrip("/") + path


def api_case_path(case_id: int) -> str:
    # The API (platforms.api) serves this path; named here so that webhooks need not import it.
    return f"/api/v1/cases/{case_id}/"


def case_summaries(case_ids) -> dict[int, dict]:
    """The `case` object of the payload for each case, in three queries."""
    cases = Case.objects.filter(pk__in=list(case_ids)).select_related("worker")
    parties: dict[int, list[dict]] = {}
    for party in CaseParty.objects.filter(case_id__in=list(case_ids)).select_related("company"):
        parties.setdefault(party.case_id, []).append(
            {
                "position": party.position,
                "kind": party.kind,
                "company_id": party.company_id,
                "name": str(party),
            }
        )
    due = dict(
        Deadline.objects.filter(case_id__in=list(case_ids), rule__key=RESPONSE_RULE)
        .order_by("case_id", "started_on", "pk")
        .values_list("case_id", "due_on")
    )
    summaries = {}
    for case in cases:
        response_due = due.get(case.pk)
        summaries[case.pk] = {
            "id": case.pk,
            "reference": case.reference,
            "state": case.state,
            "category": case.category,
            "period": {
                "start": f"{case.period_start:%Y-%m-%d}",
                "end": f"{case.period_end:%Y-%m-%d}",
            },
            "amounts": {
                "currency": "CNY",
                "claimed": _money(case.amount_claimed),
                "verified": _money(case.amount_verified),
                "agreed": _money(case.amount_agreed),
            },
            "response_due": f"{response_due:%Y-%m-%d}" if response_due else None,
            "worker": {
                "name": mask_name(case.worker_name),
                "mobile": mask_mobile(getattr(case.worker, "mobile", "") or ""),
            },
            "parties": sorted(parties.get(case.pk, []), key=lambda p: p["position"]),
            "portal_url": site_url(reverse("portal:case", args=[case.pk])),
            "api_url": site_url(api_case_path(case.pk)),
        }
    return summaries


def event_body(*, uid: uuid.UUID, event_type: str, created: datetime, data: dict) -> str:
    """The JSON text sent (and signed) for an event: the same bytes on every attempt."""
    payload = {
        "id": f"evt_{uid.hex}",
        "type": event_type,
        "created": timezone.localtime(created).isoformat(timespec="seconds"),
        "data": data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
