class CaseNotFound(Exception):
    """The case does not exist or the actor may not see it: both answer 404."""


class ActionRefused(Exception):
    """The actor may not do this now; `message` is translated and shown to them."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class CaseChanged(ActionRefused):
    """Someone else changed the case since the actor loaded it."""
