"""Server-side binding on PostgreSQL, with the old client-side binding for huge statements.

With server-side binding psycopg sends the statement and its parameters apart, and prepares a
statement a connection has run five times: PostgreSQL stops planning the queries every page
makes, about a fifth of each page's time (README "Server-side binding"). The wire protocol
carries at most 65,535 parameters a statement, though: a sweep or an export that asks for more
ids than that would fail ("number of parameters must be between 0 and 65535"). Such a
statement is quoted on the client, as Django does without server-side binding, and sent whole.
Django batches bulk inserts and updates to the limit on its own (`max_query_params`).
"""

MAX_PARAMETERS = 2**16 - 1


def server_side_binding_options() -> dict:
    """The database OPTIONS that turn it on (imported only for PostgreSQL)."""
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg import ClientCursor

    class FallbackBindingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *args, **kwargs):
            if params is not None and len(params) > MAX_PARAMETERS:
                query, params = ClientCursor(self.connection).mogrify(query, params), None
            return super().execute(query, params, *args, **kwargs)

    return {
        "server_side_binding": True,
        "cursor_factory": FallbackBindingCursor,
        "prepare_threshold": 5,
    }
