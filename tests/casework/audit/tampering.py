"""Tampering as an attacker with database access would: raw SQL, no ORM, no history."""

from django.db import connection

from casework.audit.protection import maintenance


def tamper(sql: str, params=()) -> None:
    """Run SQL behind the application's back (as the maintenance role on PostgreSQL, whose
    triggers refuse the application's role)."""
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params)
