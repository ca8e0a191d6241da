"""Bring a clause library seeded with the first texts up to the current ones (0002): in an
industry contract the duties fall on the association's member enterprises ({enterprise}), not on
the association that signs ({employer}); late deductions are abolished by a clause of their own,
and the transitional cap no longer defaults to 0 yuan. Only texts nobody edited are changed."""

import importlib

from django.db import migrations

SEED = importlib.import_module("mediation.contracts.migrations.0002_seed_clause_library")
NEW = {key: (chapter, position, title, text, params) for key, chapter, position, title, text, params in SEED.CLAUSES}
FIRST_POSITIONS = {"late-deduction": 1, "appeal": 2}
FIRST_DEFAULTS = {"late-deduction": {"late_deduction_cap": "0.00"}}
ADDED = "no-late-deduction"


def first_text(text: str) -> str:
    """The first seed wrote {employer} wherever the current one writes {enterprise}."""
    return text.replace("{enterprise}", "{employer}")


def forwards(apps, schema_editor):
    ClauseTemplate = apps.get_model("contracts", "ClauseTemplate")
    for template in ClauseTemplate.objects.filter(key__in=NEW):
        chapter, position, _title, text, params = NEW[template.key]
        fields = []
        if template.text == first_text(text) and template.text != text:
            template.text = text
            fields.append("text")
        if template.key in FIRST_DEFAULTS and template.parameters == FIRST_DEFAULTS[template.key]:
            template.parameters = params
            fields.append("parameters")
        if FIRST_POSITIONS.get(template.key) == template.position:
            template.position = position
            fields.append("position")
        if fields:
            template.save(update_fields=fields)
    chapter, position, title, text, params = NEW[ADDED]
    ClauseTemplate.objects.get_or_create(
        key=ADDED,
        defaults={
            "chapter": chapter,
            "position": position,
            "title": title,
            "text": text,
            "parameters": params,
        },
    )


def backwards(apps, schema_editor):
    ClauseTemplate = apps.get_model("contracts", "ClauseTemplate")
    ContractClause = apps.get_model("contracts", "ContractClause")
    used = ContractClause.objects.filter(template__isnull=False).values("template_id")
    ClauseTemplate.objects.filter(key=ADDED).exclude(pk__in=used).delete()
    for template in ClauseTemplate.objects.filter(key__in=NEW):
        _chapter, position, _title, text, params = NEW[template.key]
        fields = []
        if template.text == text and first_text(text) != text:
            template.text = first_text(text)
            fields.append("text")
        if template.key in FIRST_DEFAULTS and template.parameters == params:
            template.parameters = FIRST_DEFAULTS[template.key]
            fields.append("parameters")
        if template.key in FIRST_POSITIONS and template.position == position:
            template.position = FIRST_POSITIONS[template.key]
            fields.append("position")
        if fields:
            template.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_contracts_own_clauses")]
    operations = [migrations.RunPython(forwards, backwards)]
