"""The signed-in user, their access scope and their unread count, kept in each process between
requests.

Every page used to read the user's row, their memberships and the units their teams cover, and
count their unread notifications: four queries before the page's own. Those change seldom, so
each process keeps them in memory, stamped with tokens kept in the shared cache (Redis in
production): one round trip a request reads the user's three tokens, and an entry whose stamp
differs is read again from the database.

- `user:<id>` changes when that user's row is saved or deleted;
- `org` changes when a membership, team, unit or team coverage changes, or a person's name or
  active flag: scopes and the queue's list of staff depend on other people's rows;
- `inbox:<id>` changes when that user is notified or marks notifications read.

Tokens are random, not counters, so a cache that lost them (a Redis restart) cannot hand out an
old value again. They are replaced at once and again after commit: the first keeps this process
and this test right, the second covers a reader that saw the old token and read the rows before
the commit (it stored them under a token that is gone by then). The tokens are always read before
the rows they stamp. A write that bypasses model signals (`QuerySet.update`, raw SQL) is seen
within `MAX_AGE_SECONDS` at the latest; if the cache does not answer, nothing is kept and the
database answers every request.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from casework.core import table_copies
from casework.core.memo import MISSING, Memo
from casework.core.outbound import send_on_commit
from casework.organisation.models import Membership, Team, Unit, User

logger = logging.getLogger(__name__)

BACKEND = "casework.organisation.backends.PrincipalBackend"
MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 20_000
ORG = "anxin:principal:org"


def _user_key(user_id: int) -> str:
    return f"anxin:principal:user:{user_id}"


def _inbox_key(user_id: int) -> str:
    return f"anxin:principal:inbox:{user_id}"


@dataclass(frozen=True)
class Tokens:
    org: str
    user: str
    inbox: str


# user id -> the row's field values (stamp: user token)
users = Memo(size=MAX_ENTRIES, max_age=MAX_AGE_SECONDS)
# user id -> AccessScope (stamp: org and user tokens)
scopes = Memo(size=MAX_ENTRIES, max_age=MAX_AGE_SECONDS)
# user id -> unread count (stamp: inbox token)
inboxes = Memo(size=MAX_ENTRIES, max_age=MAX_AGE_SECONDS)
# "assign to" lists (stamp: org token)
staff_lists = Memo(size=MAX_ENTRIES, max_age=MAX_AGE_SECONDS)


class StaffOption(NamedTuple):
    """A person in an "assign to" list."""

    pk: int
    name: str


def kept_staff(user, key, people: Callable[[], Iterable[User]]) -> list[StaffOption]:
    """`people()` as (id, name) options, kept under `key` while no membership, team, unit or
    person's name changes (the org token of the signed-in `user`; read afresh for any other)."""
    tokens = tokens_of(user)
    if tokens is not None:
        kept = staff_lists.get(key, tokens.org)
        if kept is not MISSING:
            return kept
    options = [StaffOption(person.pk, person.name) for person in people()]
    if tokens is not None:
        staff_lists.put(key, tokens.org, options)
    return options


def read_tokens(user_id: int) -> Tokens | None:
    """The user's tokens, in one round trip (two when some are new); None if the cache fails."""
    keys = [ORG, _user_key(user_id), _inbox_key(user_id)]
    try:
        # the configuration tables' token comes along (casework/core/table_copies.py)
        found = cache.get_many([*keys, table_copies.GENERATION_KEY])
        table_copies.remember_for_request(found.get(table_copies.GENERATION_KEY))
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                cache.add(key, uuid.uuid4().hex, timeout=None)
            found.update(cache.get_many(missing))
    except Exception:
        logger.warning("No cache: the user is read from the database", exc_info=True)
        return None
    if any(key not in found for key in keys):
        return None
    return Tokens(org=found[keys[0]], user=found[keys[1]], inbox=found[keys[2]])


def scope_stamp(user) -> tuple | None:
    """What names the signed-in `user`'s scope while it stands: their id and the org and user
    tokens (None for any other user object). Whatever is kept per scope is kept under it."""
    tokens = tokens_of(user)
    return None if tokens is None else (user.pk, tokens.org, tokens.user)


def tokens_of(user) -> Tokens | None:
    """The tokens read when the request signed `user` in (None for any other user object)."""
    return getattr(user, "_anxin_tokens", None)


def replace_tokens(*, org: bool = False, user_ids=(), inbox_user_ids=()) -> None:
    """New tokens for what changed: now, and again once the transaction commits."""
    keys = ([ORG] if org else []) + [_user_key(pk) for pk in user_ids]
    keys += [_inbox_key(pk) for pk in inbox_user_ids]
    if not keys:
        return

    def replace():
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
        except Exception:
            logger.error("Could not replace %d principal tokens", len(keys), exc_info=True)

    replace()
    if transaction.get_connection().in_atomic_block:
        send_on_commit(replace, kind="cache", description="principal tokens replaced")


# What the queue's staff list shows of a person (its entries are stamped with the org token).
_LISTED_FIELDS = {"display_name", "first_name", "last_name", "username", "is_active"}


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    # A new user belongs to no team yet; a sign-in only moves `last_login`.
    listed = not created and (update_fields is None or bool(_LISTED_FIELDS & set(update_fields)))
    replace_tokens(org=listed, user_ids=[instance.pk])


def _user_deleted(sender, instance, **kwargs):
    replace_tokens(org=True, user_ids=[instance.pk])


def _organisation_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        replace_tokens(org=True)


def connect_signals() -> None:
    uid = "anxin.principal"
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid=f"{uid}.user")
    for model in (Membership, Team, Unit):
        post_save.connect(_organisation_changed, sender=model, dispatch_uid=f"{uid}.{model}")
        post_delete.connect(_organisation_changed, sender=model, dispatch_uid=f"{uid}.{model}")
    m2m_changed.connect(
        _organisation_changed, sender=Team.covers.through, dispatch_uid=f"{uid}.covers"
    )
