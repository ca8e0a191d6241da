"""What the case services share."""

from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused


def refuse_unavailable(case) -> None:
    """Refuse an action the case's state does not allow, naming the state."""
    raise ActionRefused(
        _("This cannot be done while the case is “%(state)s”.") % {"state": case.state_label}
    )
