"""The employer chain as representatives see it: the companies a representative answers for
(their own, and every company below them), and which of their own answers for a case.

The company tree is read once per user object (request) and kept on it beside the answer, so
that finding the answering company after the scope costs no second read of the tree."""

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
    user._anxin_represented = frozenset(_below(own, _children_for(user)))
    return user._anxin_represented


def scope_to_company(user, company_id: int):
    """Narrow `user` to one company they represent and the companies below it (an API token is
    made for one company): every selector and service reading represented_company_ids then
    sees that chain only. Returns the user."""
    user._anxin_represented = frozenset(_below({company_id}, _children_for(user)))
    return user


def _children_for(user) -> dict[int, list[int]]:
    cached = getattr(user, "_anxin_company_children", None)
    if cached is None:
        cached = user._anxin_company_children = _children()
    return cached


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    links = Company.objects.filter(parent__isnull=False).order_by().values_list("pk", "parent_id")
    for pk, parent_id in links:
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
    companies they represent (within their scope: a token's one company), the lowest in the
    chain that is named or above one named (an operator's own representative answers as the
    operator). NotFound if none is."""
    named = set(named_company_ids)
    visible = represented_company_ids(user)
    children = _children_for(user)
    candidates = Company.objects.filter(representatives__user=user, pk__in=visible).order_by("pk")
    answering = [c for c in candidates if named & _below([c.pk], children)]
    if not answering:
        raise NotFound
    # The lowest: the one whose subtree is smallest.
    return min(answering, key=lambda c: (len(_below([c.pk], children)), c.pk))
