"""The clock of the review of a bad rating (好差评): 15 working days by default, an admin edits
it (casework/clocks/paths.py: RATING_REVIEW, a clock off the case's path). The sweep flags it
overdue; it does not escalate the concluded case."""

from django.db import migrations


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("casework", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        key="RATING_REVIEW",
        defaults={
            "name": "差评整改",
            "name_en": "Putting a bad rating right",
            "legal_basis": "国办发〔2019〕51号",
            "length": 15,
            "unit": "working",
            "warn_before": 3,
            "escalate_on_breach": False,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("casework", "DeadlineRule").objects.filter(key="RATING_REVIEW").delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0028_merge_merging_ratings")]
    operations = [migrations.RunPython(seed, unseed)]
