"""Fill the browser's index columns of chain entries appended before they existed (run once by
migration casework 0028; harmless to run again)."""

from django.db import connection

from casework.audit.index_keys import index_keys
from casework.audit.models import ChainEntry
from casework.audit.protection import maintenance
from casework.audit.tables import history_models

BATCH = 2000


def _lookups(rows) -> tuple[dict, dict, dict]:
    from casework.cases.models import Case
    from casework.organisation.models import Team
    from platforms.models import Representative

    cases = {k[2] for k in rows if k[2]}
    teams = {k[5] for k in rows if k[5]}
    representatives = {k[6] for k in rows if k[6]}
    return (
        {
            pk: (unit, company)
            for pk, unit, company in Case.objects.filter(pk__in=cases).values_list(
                "pk", "jurisdiction_id", "employer_id"
            )
        },
        dict(Team.objects.filter(pk__in=teams).values_list("pk", "unit_id")),
        dict(Representative.objects.filter(pk__in=representatives).values_list("pk", "company_id")),
    )


def chain_index_backfill() -> int:
    """Index every history entry that has no action yet; returns how many were indexed."""
    done = 0
    for model in history_models():
        table = model._meta.db_table
        pending = ChainEntry.objects.filter(table=table, action="").values_list("seq", "row_id")
        ids = list(pending)
        for start in range(0, len(ids), BATCH):
            batch = dict(ids[start : start + BATCH])
            rows = model.objects.in_bulk([int(r) for r in batch.values()])
            keys = {seq: index_keys(rows[int(r)]) for seq, r in batch.items() if int(r) in rows}
            cases, teams, representatives = _lookups(keys.values())
            entries = []
            for seq, (action, actor, case, company, unit, team, rep, *_parents) in keys.items():
                case_unit, case_company = cases.get(case, (None, None))
                entries.append(
                    ChainEntry(
                        seq=seq,
                        action=action,
                        actor_id=actor,
                        case_id=case,
                        company_id=company or case_company or representatives.get(rep),
                        unit_id=unit or case_unit or teams.get(team),
                    )
                )
            with maintenance():
                ChainEntry.objects.bulk_update(
                    entries, ["action", "actor_id", "case_id", "company_id", "unit_id"]
                )
            done += len(entries)
    return done


def backfill_migration(apps, schema_editor):
    if schema_editor.connection.alias != connection.alias:
        return
    chain_index_backfill()
