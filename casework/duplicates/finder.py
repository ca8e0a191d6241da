"""Finding the same grievance already open: same worker (phone or ID number), same employer
chain, overlapping period, similar amount.

Used on the worker's intake ("you already filed BJ-…; add to it?"), on the case page (staff
see candidates with a similarity and the differences) and on imports of upstream work orders;
the merge of two cases is built on `find_duplicates`.

Speed: a duplicate must be the same person, so the search starts from the two identity
indexes (the worker's cases, `case_worker_new`; open cases by ID number,
`case_open_id_number`) and scores the handful of rows it finds in Python. It never scans by
employer, which would read every open case of a large platform.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case
from casework.core.access import visible_cases_q
from casework.core.money import yuan
from casework.organisation.access import scope_for
from casework.organisation.models import User

# How much each likeness counts; being the same person is required, not scored.
WEIGHT_PERSON = 0.4
WEIGHT_EMPLOYER = 0.25
WEIGHT_PERIOD = 0.2
WEIGHT_AMOUNT = 0.15
# Below this the "same person" match is a different grievance of theirs, not a duplicate.
THRESHOLD = 0.6
# The identity indexes find a person's open cases; a person with more than this many open
# complaints is scored on the newest.
READ_AT_MOST = 50


@dataclass(frozen=True)
class Candidate:
    """An open case that may be the same grievance: how alike (0..1) and what differs."""

    case: Case
    similarity: float
    differences: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _period_likeness(a_start, a_end, b_start, b_end) -> float:
    """Days shared over days covered by either (1 for the same period, 0 without overlap)."""
    shared = (min(a_end, b_end) - max(a_start, b_start)).days + 1
    if shared <= 0:
        return 0.0
    covered = (max(a_end, b_end) - min(a_start, b_start)).days + 1
    return shared / covered


def _amount_likeness(a: Decimal | None, b: Decimal | None) -> float:
    if a is None or b is None:
        return 0.5  # unknown: neither alike nor different
    if a == b:
        return 1.0
    larger = max(abs(a), abs(b))
    return max(0.0, 1.0 - float(abs(a - b) / larger))


def _score(case: Case, *, phone, id_number, company_ids, period_start, period_end, amount):
    differences = []
    same_phone = bool(phone) and case.worker.mobile == phone
    same_id = bool(id_number) and case.worker_id_number == id_number
    if not same_phone:
        differences.append(_("filed from another phone number"))
    if id_number and case.worker_id_number and not same_id:
        differences.append(_("a different ID card number"))
    employer = 1.0 if case.employer_id is not None and case.employer_id in company_ids else 0.0
    if not employer:
        named = case.employer.name if case.employer_id else _("no registered company")
        differences.append(_("employer: %(name)s") % {"name": named})
    period = _period_likeness(period_start, period_end, case.period_start, case.period_end)
    if period < 1.0:
        differences.append(
            _("period %(start)s – %(end)s")
            % {"start": f"{case.period_start:%Y-%m-%d}", "end": f"{case.period_end:%Y-%m-%d}"}
        )
    money = _amount_likeness(amount, case.amount_claimed)
    if amount is not None and money < 1.0:
        differences.append(_("amount claimed %(amount)s") % {"amount": yuan(case.amount_claimed)})
    similarity = (
        WEIGHT_PERSON + WEIGHT_EMPLOYER * employer + WEIGHT_PERIOD * period + WEIGHT_AMOUNT * money
    )
    return round(similarity, 3), differences


def find_duplicates(
    *,
    phone: str = "",
    id_number: str = "",
    company_ids=(),
    period_start: date,
    period_end: date,
    amount: Decimal | None = None,
    exclude_case_id: int | None = None,
    limit: int = 5,
    visible_to: User | None = None,
) -> list[Candidate]:
    """Open cases of the same person (phone or ID number) that look like the same grievance,
    most alike first. `visible_to` keeps only the cases that user may see (staff pages);
    without it the caller has already decided who may see the answer. Reads only."""
    if period_end < period_start:
        period_start, period_end = period_end, period_start
    phone = (phone or "").strip()
    id_number = (id_number or "").strip().upper()
    person = Q(pk__in=[])
    if phone:
        person |= Q(worker_id__in=User.objects.filter(mobile=phone).values("pk"))
    if id_number:
        person |= Q(worker_id_number=id_number)
    if not (phone or id_number):
        return []
    rows = Case.objects.filter(person, state__in=OPEN_STATES).select_related("worker", "employer")
    if exclude_case_id is not None:
        rows = rows.exclude(pk=exclude_case_id)
    if visible_to is not None:
        rows = rows.filter(visible_cases_q(scope_for(visible_to)))
    probe = Probe(phone, id_number, frozenset(company_ids or ()), period_start, period_end, amount)
    return _ranked(rows.order_by("-created_at")[:READ_AT_MOST], probe, limit)


@dataclass(frozen=True)
class Probe:
    """One grievance to look for (a line of an import)."""

    phone: str
    id_number: str
    company_ids: frozenset
    period_start: date
    period_end: date
    amount: Decimal | None = None


def _ranked(cases, probe: Probe, limit: int) -> list[Candidate]:
    candidates = []
    for case in cases:
        similarity, differences = _score(
            case,
            phone=probe.phone,
            id_number=probe.id_number,
            company_ids=probe.company_ids,
            period_start=probe.period_start,
            period_end=probe.period_end,
            amount=probe.amount,
        )
        if similarity >= THRESHOLD:
            candidates.append(Candidate(case=case, similarity=similarity, differences=differences))
    candidates.sort(key=lambda c: (-c.similarity, -c.case.pk))
    return candidates[: max(0, min(limit, 20))]


def find_duplicates_many(probes: list[Probe], *, batch: int = 1000) -> list[Candidate | None]:
    """The most alike open case of each probe, or None: what `find_duplicates` finds, for a
    whole file in one query per `batch` probes (the open cases of all their people)."""
    best: list[Candidate | None] = [None] * len(probes)
    for first in range(0, len(probes), batch):
        chunk = probes[first : first + batch]
        phones = {p.phone for p in chunk if p.phone}
        id_numbers = {p.id_number.upper() for p in chunk if p.id_number}
        if not (phones or id_numbers):
            continue
        person = Q(pk__in=[])
        if phones:
            person |= Q(worker_id__in=User.objects.filter(mobile__in=phones).values("pk"))
        if id_numbers:
            person |= Q(worker_id_number__in=id_numbers)
        by_phone, by_id = {}, {}
        rows = Case.objects.filter(person, state__in=OPEN_STATES).select_related(
            "worker", "employer"
        )
        for case in rows.order_by("-created_at"):
            by_phone.setdefault(case.worker.mobile, []).append(case)
            if case.worker_id_number:
                by_id.setdefault(case.worker_id_number, []).append(case)
        for offset, probe in enumerate(chunk):
            mine = {c.pk: c for c in by_phone.get(probe.phone, []) if probe.phone}
            for case in by_id.get(probe.id_number.upper(), []) if probe.id_number else []:
                mine.setdefault(case.pk, case)
            newest = sorted(mine.values(), key=lambda c: c.created_at, reverse=True)
            found = _ranked(newest[:READ_AT_MOST], probe, 1)
            best[first + offset] = found[0] if found else None
    return best


def duplicates_of_case(case: Case, *, visible_to: User | None, limit: int = 5) -> list[Candidate]:
    """The candidates for an existing case (its own row excluded)."""
    company_ids = {p.company_id for p in case.parties.all() if p.company_id}
    if case.employer_id:
        company_ids.add(case.employer_id)
    return find_duplicates(
        phone=case.worker.mobile or "",
        id_number=case.worker_id_number,
        company_ids=company_ids,
        period_start=case.period_start,
        period_end=case.period_end,
        amount=case.amount_claimed,
        exclude_case_id=case.pk,
        limit=limit,
        visible_to=visible_to,
    )
