"""Tamper evidence: every history row, timeline event and document record is appended to one
hash chain, each day's entries are sealed in a digest, and `manage.py verify_audit` checks both.

How rows reach the chain (the choice, and why): **Python, through one door** (`chain.append`),
not PostgreSQL triggers. The app must run on SQLite too (`make run`, `make test`), and the
verifier must recompute each entry's canonical content from the row as stored; one Python
serialisation (`canonical.py`) used by the writer and by the verifier cannot disagree with
itself, while a PL/pgSQL twin would have to match it byte for byte (timestamps, numerics,
floats, JSON escapes) on one database and not exist on the other. The door is reached by
simple-history's `post_create_historical_record`, by `post_save` of the chained models, and
for rows written in bulk (the sweep's `bulk_create` and `bulk_history_create`, which send no
signal) by `casework.core.audit_hook.rows_written`. A row written around all three (raw SQL,
COPY) is not chained, and `verify_audit` names it as an unchained row: it cannot hide.

Each append is one statement (`chain.py`): on PostgreSQL it updates the chain head row and
inserts the links together, so the head's row lock is held until the writer commits: entries
are numbered in commit order, one gapless sequence under concurrent writers, and an entry
exists exactly when its row was committed. It costs one INSERT per chained row (about a
millisecond on a transition, see bench/audit_verify.py). The price of commit order: writing
transactions run one at a time from their first chained row to their commit; one that locks
more rows after that (a group action) may meet a deadlock, which PostgreSQL resolves by
failing one of the two.

PostgreSQL triggers (`protection.py`) refuse UPDATE and DELETE of the history, timeline,
payment, chain and digest tables unless a maintenance role asks.

A new table joins the chain by itself when it is a django-simple-history `Historical*` model
(any app: they are discovered from the app registry). Any other model joins by a line in
`tables.CHAINED_MODELS`.
"""
