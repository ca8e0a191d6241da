"""How a write on a contract fails besides an ActionRefused: the contract is not there for the
actor, or it moved under them."""

from casework.core.errors import ActionRefused, NotFound


class ContractNotFound(NotFound):
    """The contract does not exist or the actor may not see it: both answer 404."""


class ContractChanged(ActionRefused):
    """Someone else changed the contract since the actor loaded it."""
