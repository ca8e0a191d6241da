"""Which companies a representative answers for: their own, and every company below them."""

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
    children: dict[int, list[int]] = {}
    for pk, parent_id in Company.objects.filter(parent__isnull=False).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = set(own), list(own)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    user._anxin_represented = frozenset(found)
    return user._anxin_represented
