"""What a token may see: its representative's company and every company below it.

The portal's selectors take the user and read the companies they answer for from
platforms.chain, which keeps them on the user for the request. A token answers for the one
company it was made for (a user representing two companies makes a token for each), so the
user is narrowed to exactly that company's chain before any selector runs."""

from platforms.chain import scope_to_company


def scope_user_to_token(token) -> object:
    """The token's user, seeing through the portal's selectors only the token's company chain."""
    return scope_to_company(token.representative.user, token.representative.company_id)
