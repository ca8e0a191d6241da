"""The audit browser: every history row of every tracked model, for supervisors (their unit
and below) and administrators, filtered, in words, exportable.

Where it reads (the choice, and why): **the audit chain** (`ChainEntry`), not a UNION over the
twenty-odd `Historical*` tables. The chain already holds every history row once, in one
sequence, appended in the writer's transaction; the chain's INSERT also fills a few index
columns (action, who, case, company, unit: casework/audit/index_keys.py). So one table with
one index per filter, each ending in (recorded_at, seq), answers every filter and the keyset
cursor with an index range scan: a page costs the same at 10 million rows as at 1,000. A UNION
would merge twenty ordered scans per page, and filters by case, company or unit would need a
join per table. The 50 history rows of a page are then read from their own tables (one query
per model on the page) to show the changes field by field.
"""
