"""The upstream sources' reply deadlines as data (an admin may change them)."""

from django.db import migrations

# Working days from the day the work order is received. Local practice differs: these are the
# usual service levels (12345 and 12333 work orders 10 working days; a clue forwarded by the
# national wage-arrears platform 15 working days; the provincial app as the hotline).
RULES = {
    "hotline_12345": 10,
    "hotline_12333": 10,
    "national_clue": 15,
    "provincial_app": 10,
}


def seed(apps, schema_editor):
    rule = apps.get_model("casework", "UpstreamChannelRule")
    for channel, days in RULES.items():
        rule.objects.get_or_create(
            channel=channel, defaults={"reply_within": days, "unit": "working"}
        )


def unseed(apps, schema_editor):
    apps.get_model("casework", "UpstreamChannelRule").objects.filter(channel__in=RULES).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0028_channels_upstream")]
    operations = [migrations.RunPython(seed, unseed)]
