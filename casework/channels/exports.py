"""The replies as a file for the upstream system: the file export adapter's file, which needs
no configuration (casework.channels.adapters_file builds it)."""

from casework.channels.adapters_file import FORMATS, replies_file
from casework.organisation.models import User

__all__ = ["FORMATS", "replies_export"]


def replies_export(*, user: User, fmt: str, channel: str = "") -> tuple[str, str, bytes]:
    """(file name, content type, body) of the replies and notices the user may see."""
    return replies_file(user=user, fmt=fmt, channel=channel)
