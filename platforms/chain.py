"""The employer chain as representatives see it: the companies a representative answers for
(their own, and every company below them), and which of their own answers for a case."""

from casework.core.errors import NotFound
from platforms.models import Company, Representative


def represented_company_ids(user) -> frozenset[int]:
    """Raises NotFound for anyone who represents no company (the portal is not theirs)."""
    if not user.is_authenticated:
        raise NotFound
    cached = getattr(user, "_anxin_represented", None)
    if cached is not None:
        return cached
    own = set(Representative.objects.filter(user=user).values_list("company_id", flat=True))
    if not own:
        raise NotFound
    user._anxin_represented = frozenset(_below(own, _children()))
    return user._anxin_represented


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pk, parent_id in Company.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    return children


def _below(start, children: dict[int, list[int]]) -> set[int]:
    found, frontier = set(start), list(start)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def answering_company(user, named_company_ids) -> Company:
    """The company a representative answers for on a case naming `named_company_ids`: of the
    companies they represent, the lowest in the chain that is named or above one named (an
    operator's own representative answers as the operator). NotFound if none is."""
    named = set(named_company_ids)
    children = _children()
    candidates = Company.objects.filter(representatives__user=user).order_by("pk")
    answering = [c for c in candidates if named & _below([c.pk], children)]
    if not answering:
        raise NotFound
    # The lowest: the one whose subtree is smallest.
    return min(answering, key=lambda c: (len(_below([c.pk], children)), c.pk))
