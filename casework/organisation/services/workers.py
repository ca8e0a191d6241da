from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from casework.organisation.access import scope_for
from casework.organisation.models import User
from casework.organisation.validators import normalise_mainland_mobile


def worker_get_or_create(*, actor: User, mobile: str, name: str) -> User:
    """The worker account for `mobile`, created when staff file for a first-time caller.

    Changes: a new worker account (no password; they sign in by code), or the display name of
    an existing worker who had none. Sends nothing.
    """
    if not scope_for(actor).is_staff_member:
        raise ActionRefused(_("Only staff can file for a worker."))
    mobile = normalise_mainland_mobile(mobile)
    worker = User.objects.filter(mobile=mobile).first()
    if worker is None:
        worker = User(username=f"worker-{mobile}", mobile=mobile, display_name=name, is_worker=True)
        worker.set_unusable_password()
        worker.save()
    elif not worker.is_worker:
        raise ActionRefused(_("This number belongs to a staff account."), field="worker_mobile")
    elif not worker.display_name and name:
        worker.display_name = name
        worker.save(update_fields=["display_name"])
    return worker
