"""How a service or selector says no: the thing is not there for this person (a 404), or
the action is refused with a message in their language."""


class NotFound(Exception):
    """The object does not exist or the actor may not see it: both answer 404."""


class CaseNotFound(NotFound):
    """The case does not exist or the actor may not see it."""


class GroupNotFound(NotFound):
    """The group does not exist, or the actor is not staff seeing every one of its cases."""


class NotificationNotFound(NotFound):
    """The notification does not exist or is someone else's."""


class ActionRefused(Exception):
    """The actor may not do this now; `message` is translated and shown to them."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class CaseChanged(ActionRefused):
    """Someone else changed the case since the actor loaded it."""
