from django.utils.translation import gettext as _

from casework.core import kept_sql
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
    found = kept_sql.fetch(
        "worker by mobile",
        lambda number: User.objects.filter(mobile=number).order_by("pk")[:1],
        mobile,
    )
    worker = found[0] if found else None
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


def workers_get_or_create_many(*, actor: User, people: list[tuple[str, str]]) -> dict[str, User]:
    """worker_get_or_create for many (mobile, name) pairs at once (an import): the accounts
    by normalised mobile. Raises ActionRefused for a number of a staff account; the caller
    checks the numbers first. Changes: the new worker accounts (one INSERT)."""
    if not scope_for(actor).is_staff_member:
        raise ActionRefused(_("Only staff can file for a worker."))
    names = {normalise_mainland_mobile(mobile): name for mobile, name in people}
    found = {user.mobile: user for user in User.objects.filter(mobile__in=list(names))}
    if any(not user.is_worker for user in found.values()):
        raise ActionRefused(_("This number belongs to a staff account."), field="worker_mobile")
    new = []
    for mobile, name in names.items():
        if mobile not in found:
            user = User(
                username=f"worker-{mobile}", mobile=mobile, display_name=name, is_worker=True
            )
            user.set_unusable_password()
            new.append(user)
    for user in User.objects.bulk_create(new):
        found[user.mobile] = user
    return found
