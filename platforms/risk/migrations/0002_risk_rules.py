"""The starting rules and bands (administrators change them in the admin site)."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("open_arrears", "10000", 15),
    ("open_arrears", "50000", 30),
    ("open_arrears", "200000", 45),
    ("overdue_instalments", "1", 15),
    ("overdue_instalments", "3", 25),
    ("missed_orders", "1", 30),
    ("complaints_month", "5", 10),
    ("complaints_month", "20", 20),
    ("complaints_month", "50", 30),
    ("complaint_growth", "50", 10),
    ("complaint_growth", "100", 15),
    ("collective_cases", "1", 30),
    ("repeat_complaints", "2", 10),
    ("repeat_complaints", "5", 20),
    ("late_responses", "2", 10),
    ("late_responses", "5", 20),
    ("open_findings", "1", 10),
    ("open_findings", "3", 20),
    # Findings left uncorrected past the deadline the company was given.
    ("overdue_findings", "1", 25),
    ("overdue_findings", "3", 40),
]
BANDS = [("red", 60), ("orange", 35), ("yellow", 15)]


def seed(apps, schema_editor):
    RiskRule = apps.get_model("risk", "RiskRule")
    RiskBand = apps.get_model("risk", "RiskBand")
    for signal, threshold, points in RULES:
        RiskRule.objects.get_or_create(
            signal=signal, threshold=Decimal(threshold), defaults={"points": points}
        )
    for level, points in BANDS:
        RiskBand.objects.get_or_create(level=level, defaults={"min_points": points})


def unseed(apps, schema_editor):
    apps.get_model("risk", "RiskRule").objects.all().delete()
    apps.get_model("risk", "RiskBand").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_risk_initial")]

    operations = [migrations.RunPython(seed, unseed)]
