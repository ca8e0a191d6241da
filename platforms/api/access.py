"""What a token may see: its representative's company and every company below it.

The portal's selectors take the user and read the companies they answer for from
platforms.portal.access, which keeps them on the user for the request. A token answers for the
one company it was made for (a user representing two companies makes a token for each), so the
user is given exactly that company's chain before any selector runs."""

from platforms.models import Company


def company_and_below(company_id: int) -> frozenset[int]:
    children: dict[int, list[int]] = {}
    links = Company.objects.filter(parent__isnull=False).order_by().values_list("pk", "parent_id")
    for pk, parent_id in links:
        children.setdefault(parent_id, []).append(pk)
    found, frontier = {company_id}, [company_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return frozenset(found)


def scope_user_to_token(token) -> object:
    """The token's user, seeing through the portal's selectors only the token's company chain."""
    user = token.representative.user
    # The attribute platforms.portal.access.represented_company_ids keeps its answer in.
    user._anxin_represented = company_and_below(token.representative.company_id)
    return user
