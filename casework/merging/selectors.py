"""Reads for the merge and split pages. Each takes the user: a case they may not see (or not
work on) raises CaseNotFound (a 404)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Value

from casework.cases.lifecycle import OPEN_STATES
from casework.cases.models import Case, CaseParty, Evidence
from casework.cases.selectors import case_for_staff
from casework.channels.models import UpstreamOrder
from casework.core.access import visible_cases_q
from casework.core.errors import CaseNotFound
from casework.core.money import yuan
from casework.duplicates.finder import duplicates_of_case
from casework.merging.models import CaseMerge, CaseSplit
from casework.merging.services import CHOSEN_FIELDS, _as_id, merge_refusal
from casework.organisation.access import scope_for
from casework.organisation.models import User


def _staff_case(user: User, case_id) -> Case:
    return case_for_staff(user=user, case_id=_as_id(case_id))[0]


def same_worker_open_cases(*, user: User, case: Case, limit: int = 20) -> list[Case]:
    """The worker's other open cases this user may see: the simple list to merge with."""
    return list(
        Case.objects.filter(visible_cases_q(scope_for(user)))
        .filter(worker_id=case.worker_id, state__in=OPEN_STATES)
        .exclude(pk=case.pk)
        .select_related("employer")
        .order_by("-created_at", "-pk")[:limit]
    )


def finder_candidates(*, user: User, case: Case) -> list:
    """The likely duplicates of `case` that this user may see, with their similarity and
    differences in words (casework.duplicates: same person, open, same employer chain,
    overlapping period, similar amount)."""
    return duplicates_of_case(case, visible_to=user)


def case_by_reference(*, user: User, reference: str) -> Case:
    """The case with this reference, if the user works on it (else CaseNotFound)."""
    reference = (reference or "").strip().upper()
    case = (
        Case.objects.filter(visible_cases_q(scope_for(user)), reference=reference[:20])
        .only("pk")
        .first()
    )
    if case is None:
        raise CaseNotFound
    return _staff_case(user, case.pk)


@dataclass
class FieldPair:
    name: str
    label: str
    survivor: object
    merged: object

    @property
    def differs(self) -> bool:
        return self.survivor != self.merged


@dataclass
class MergePreview:
    merged: Case
    survivor: Case
    fields: list[FieldPair]
    refusal: str
    counts: dict  # case pk -> {"evidence": n, "notes": n, "parties": n}
    upstream_orders: list  # the duplicate's work orders, whose sources are told of the merge


def merge_preview_for_user(*, user: User, merged_id, survivor_id) -> MergePreview:
    merged, survivor = _staff_case(user, merged_id), _staff_case(user, survivor_id)
    if merged.pk == survivor.pk:
        raise CaseNotFound
    fields = [
        FieldPair(
            name,
            str(Case._meta.get_field(name).verbose_name),
            _shown(survivor, name),
            _shown(merged, name),
        )
        for name in CHOSEN_FIELDS
    ]
    counted = Case.objects.filter(pk__in=[merged.pk, survivor.pk]).annotate(
        n_evidence=Count("evidence", distinct=True),
        n_notes=Count("notes", distinct=True),
        n_parties=Count("parties", distinct=True),
    )
    counts = {
        row.pk: {"evidence": row.n_evidence, "notes": row.n_notes, "parties": row.n_parties}
        for row in counted
    }
    upstream = list(UpstreamOrder.objects.filter(case=merged).order_by("pk"))
    return MergePreview(merged, survivor, fields, merge_refusal(merged, survivor), counts, upstream)


def _shown(case: Case, name: str):
    """The value as people read it: the category's name, money as ¥1,234.50."""
    if name == "category":
        return case.category_label
    if name in ("amount_claimed", "amount_verified"):
        return yuan(getattr(case, name))
    return getattr(case, name)


@dataclass
class SplitChoices:
    case: Case
    parties: list[CaseParty]
    evidence: list[Evidence]


def split_choices_for_user(*, user: User, case_id) -> SplitChoices:
    case = _staff_case(user, case_id)
    return SplitChoices(
        case=case,
        parties=list(
            CaseParty.objects.filter(case=case).select_related("company").order_by("position")
        ),
        evidence=list(Evidence.objects.filter(case=case).order_by("uploaded_at", "pk")),
    )


@dataclass
class CaseLinks:
    """What a case page says about merges and splits, for a reader who may see the case."""

    merged_into: Case | None
    absorbed: list[Case]
    split_from: Case | None
    split_off: list[Case]


# Which link wins when two cases are linked twice over (merged and split between them).
_LINK_ORDER = ("merged_into", "split_from", "absorbed", "split_off")


def case_links_for_user(*, user: User, case: Case) -> CaseLinks:
    """Links between this case and those merged into it or split from it, limited to the
    cases this reader may see. The link rows first, by this case's key through their indexes
    (one query, and the only one for a case without links); the linked cases after. Joining
    the links to the cases the reader may see instead read every one of them (35,000 rows and
    70 ms for a street's coordinator at 100,000 cases)."""
    links = CaseLinks(merged_into=None, absorbed=[], split_from=None, split_off=[])
    if not getattr(case, "has_links", True):
        return links  # the case page's case says it has none (casework.cases.selectors)
    pk = case.pk
    merges = (
        CaseMerge.objects.filter(Q(merged_id=pk) | Q(survivor_id=pk))
        .annotate(split=Value(False))
        .values_list("merged_id", "survivor_id", "split")
        .order_by()
    )
    splits = (
        CaseSplit.objects.filter(Q(new_case_id=pk) | Q(original_id=pk))
        .annotate(split=Value(True))
        .values_list("new_case_id", "original_id", "split")
        .order_by()
    )
    kinds: dict[int, set[str]] = {}
    for moved, kept, split in merges.union(splits, all=True).order_by():
        # merges: `moved` merged into `kept`; splits: `moved` split off from `kept`
        if moved == pk:
            other, kind = kept, ("split_from" if split else "merged_into")
        else:
            other, kind = moved, ("split_off" if split else "absorbed")
        kinds.setdefault(other, set()).add(kind)
    if not kinds:
        return links
    others = (
        Case.objects.filter(visible_cases_q(scope_for(user)), pk__in=kinds)
        .only("pk", "reference")
        .order_by("pk")
    )
    for other in others:
        kind = next(k for k in _LINK_ORDER if k in kinds[other.pk])
        if kind in ("merged_into", "split_from"):
            setattr(links, kind, other)
        else:
            getattr(links, kind).append(other)
    return links
