"""Which companies a representative answers for (platforms.chain, where the responses and the
API find it too): kept here under its old name for the portal's readers."""

from platforms.chain import represented_company_ids  # noqa: F401
