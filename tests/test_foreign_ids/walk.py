"""Walking every URL pattern and filling its path converters with given objects; what a
request wrote."""

import itertools
import re

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Not walked: Django's admin (its own permission checks, staff only), the i18n switch.
SKIPPED_PREFIXES = ("admin/", "i18n/")
# Public by design: a printed document's code is what proves it genuine; anyone holding the
# paper may check it. Requested like the others (no 500), without the 404 demand.
PUBLIC = {"mediation.views.documents.verify"}

# Another's object is 404, like one that does not exist: a 403 would tell that it exists.
REFUSED = {404, 405}


def url_patterns(resolver=None, prefix=""):
    """(route, URLPattern) of every pattern, depth first."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def row_counts() -> tuple[int, ...]:
    """The number of rows of every table (but sessions), in one query."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.label != "sessions.Session" and model._meta.managed
    )
    # Table names come from the models, not from input.
    sql = "SELECT " + ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def writes() -> int | None:
    """Rows written so far (by this connection on SQLite, in this transaction on PostgreSQL),
    to skip the checksums after a request that wrote nothing; None elsewhere (they run)."""
    queries = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
        "FROM pg_stat_xact_user_tables",
    }
    if connection.vendor not in queries:
        return None
    with connection.cursor() as cursor:
        cursor.execute(queries[connection.vendor])
        return int(cursor.fetchone()[0])


# Each str/slug converter is tried with every word a view dispatches on, so that each branch
# meets the foreign IDs.
WORDS = {
    "kind": ["case", "group"],
    "action": ["assign", "start-mediation", "pause", "resume", "escalate", "deescalate"],
    "name": ["accept", "withdraw", "start_mediation"],
    "direction": ["up", "down"],
    "field": ["name", "mobile", "id_number"],  # cases/<id>/show/<field>/: what may be revealed
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def id_for(route: str, name: str, ids: dict) -> int | None:
    """The id for `name` in `route`: under the longest (prefix, name) key the route starts
    with, else under the plain name."""
    keyed = [key for key in ids if isinstance(key, tuple) and key[1] == name]
    keyed = sorted((k for k in keyed if route.startswith(k[0])), key=lambda k: -len(k[0]))
    return ids[keyed[0]] if keyed else ids.get(name)


def variants(route: str, ids: dict) -> tuple[list[str], bool]:
    """The paths for `route` with its int converters filled from `ids` (a group's id after
    /group/), every word for the others; and whether some int converter names an object.
    No paths when a converter names an object we do not have."""
    converters = [(m["converter"] or "str", m["name"]) for m in CONVERTER.finditer(route)]
    choices, names_object = [], False
    for converter, name in converters:
        if converter in ("int", "id") and name == "step":
            choices.append([1])
        elif converter in ("int", "id"):
            if id_for(route, name, ids) is None:
                return [], False
            choices.append([id_for(route, name, ids)])
            names_object = True
        elif route.startswith("contracts/") and name == "name":
            choices.append(["start_consulting", "accept_review", "renew"])
        else:
            choices.append(WORDS.get(name, ["x"]))
    paths = []
    for combination in itertools.product(*choices):
        values = iter(combination)
        paths.append("/" + CONVERTER.sub(lambda _m, v=values: str(next(v)), route))
    if any(name == "kind" for _c, name in converters):
        paths = [
            p.replace(f"/group/{ids['case_id']}/", f"/group/{ids['group_id']}/") for p in paths
        ]
    return sorted(set(paths)), names_object


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and "sign-in" in response.get("Location", "")


def shown_markers(response, markers) -> list[str]:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return []
    text = response.content.decode("utf-8", "replace")
    return [m for m in markers if m and m in text]
