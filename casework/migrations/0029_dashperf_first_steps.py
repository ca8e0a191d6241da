"""Each case's first acceptance and resolution on its row (the statistics page's waits),
filled from the timelines of the existing cases: one UPDATE per step, whatever the database."""

from django.db import migrations, models
from django.db.models import Exists, Min, OuterRef, Subquery


def fill_first_steps(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    CaseEvent = apps.get_model("casework", "CaseEvent")
    for transition, field in (("accept", "first_accepted_at"), ("resolve", "first_resolved_at")):
        steps = CaseEvent.objects.filter(
            case=OuterRef("pk"), kind="transition", transition=transition
        )
        first = steps.values("case").annotate(first=Min("created_at")).values("first")
        Case.objects.filter(Exists(steps)).update(**{field: Subquery(first)})


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0028_dashboard_measure_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="first_accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first accepted"),
        ),
        migrations.AddField(
            model_name="case",
            name="first_resolved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first resolved"),
        ),
        migrations.RunPython(fill_first_steps, migrations.RunPython.noop, elidable=True),
    ]
