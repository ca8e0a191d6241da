"""A withdrawn case's clocks no longer apply: withdrawal is not what meets them."""

from django.db import migrations


def drop_withdraw(apps, schema_editor):
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    for rule in DeadlineRule.objects.all():
        stops = [item.strip() for item in rule.stops_on.split(",") if item.strip()]
        if "withdraw" in stops:
            rule.stops_on = ",".join(item for item in stops if item != "withdraw")
            rule.save(update_fields=["stops_on"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_notifications")]
    operations = [migrations.RunPython(drop_withdraw, migrations.RunPython.noop)]
