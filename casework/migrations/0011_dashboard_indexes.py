"""Indexes for the supervisor dashboard (casework/selectors/dashboard.py).

Written as SQL rather than in the models' Meta so that this change stays out of the model
files; the statements are the same on PostgreSQL and SQLite. Moving them into Meta.indexes
later needs a migration that swaps these for AddIndex (same names).
"""

from django.db import migrations

OPEN = (
    "('submitted', 'accepted', 'verifying', 'awaiting_response', 'mediating', "
    "'agreement_reached', 'mediation_failed')"
)
CONCLUDING = "('resolve', 'refer', 'report_breach', 'decline', 'transfer', 'withdraw')"

INDEXES = [
    # Open cases by street and state (and team, for scopes that name teams): index-only.
    (
        "case_open_place_state",
        f"casework_case (jurisdiction_id, state, team_id) WHERE state IN {OPEN}",
    ),
    # Complaints received in a period, with the keys and the worker: index-only.
    ("case_filed_keys", "casework_case (created_at, jurisdiction_id, team_id, worker_id)"),
    # Cases leaving the open states, and escalations, in a period: index-only.
    (
        "event_concluded_escalated",
        "casework_caseevent (created_at, case_id, kind) WHERE (kind = 'transition' AND "
        f"transition IN {CONCLUDING}) OR kind = 'escalated'",
    ),
    # A case's keys by its id: events, payments and clocks find their case's street, team
    # and state with an index-only lookup instead of a visit to the table.
    ("case_keys", "casework_case (id, jurisdiction_id, team_id, state)"),
]


class Migration(migrations.Migration):
    dependencies = [("casework", "0010_alter_caseevent_kind_alter_notification_kind")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
