import pytest
from django.db import connection

from casework.audit.protection import maintenance_role


@pytest.fixture
def maintenance_role_exists(django_db_blocker):
    """On PostgreSQL, the maintenance role the triggers let through (roles are cluster-wide)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN CREATE ROLE "
                + connection.ops.quote_name(maintenance_role())
                + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
