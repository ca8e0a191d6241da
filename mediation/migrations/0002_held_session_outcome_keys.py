"""A held session's timeline entry stored its outcome in the words of whoever recorded it; it
now stores the outcome's key, put into the reader's words when shown (mediation.apps)."""

from django.db import migrations
from django.utils import translation

# The words the code stored, in each language it can be read in (the labels as they were).
OUTCOMES = ("agreement", "adjourned", "no_agreement")


def outcome_keys(apps, schema_editor):
    from mediation.choices import SessionOutcome

    CaseEvent = apps.get_model("casework", "CaseEvent")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key in OUTCOMES:
                words = str(SessionOutcome(key).label)
                CaseEvent.objects.filter(kind="mediation_held", reason=words).update(reason=key)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0001_initial"),
        ("casework", "0015_online_sessions_in_readers_language"),
    ]

    operations = [migrations.RunPython(outcome_keys, migrations.RunPython.noop, elidable=True)]
