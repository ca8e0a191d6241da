"""The replica's DATABASES entry (settings.py, when DATABASE_REPLICA_URL is set)."""

import dj_database_url


def replica_database(url: str, primary: dict) -> dict:
    """The replica at `url`, with the primary's connect timeout, pool sizes and binding, unless
    the URL says otherwise."""
    replica = dj_database_url.parse(url, conn_max_age=0)
    options = {
        key: dict(value) if isinstance(value, dict) else value
        for key, value in primary.get("OPTIONS", {}).items()
    }
    replica["OPTIONS"] = {**options, **replica.get("OPTIONS", {})}
    return replica
