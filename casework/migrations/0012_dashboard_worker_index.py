"""Distinct workers per street over a long period (the dashboard's year and all-time views):
an index in (street, worker) order counts them without sorting the cases."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0011_dashboard_indexes")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_place_worker "
            "ON casework_case (jurisdiction_id, worker_id, created_at)",
            "DROP INDEX IF EXISTS case_place_worker",
        )
    ]
