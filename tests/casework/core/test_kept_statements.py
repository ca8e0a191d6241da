"""Statements kept per process (casework/core/kept_inserts.py, kept_sql.py) write and read
what the ORM does, on PostgreSQL and (through the ORM itself) on SQLite."""

import pytest
from django.db import transaction

from casework.clocks.models import Deadline
from casework.core import kept_sql
from casework.core.kept_inserts import insert_rows
from casework.notifications.models import Notification
from tests.factories.cases import make_case, make_org

pytestmark = pytest.mark.django_db


def test_inserted_rows_are_as_bulk_create_leaves_them():
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street)
    rows = [
        Notification(recipient=org.worker, kind="status_changed", case=case, params={"n": n})
        for n in range(2)
    ]
    inserted = insert_rows(rows)
    assert len(inserted) == 2 and all(a is b for a, b in zip(inserted, rows, strict=True))
    assert all(row.pk and not row._state.adding and row._state.db == "default" for row in rows)
    assert rows[0].created_at is not None  # auto_now_add, as bulk_create sets it
    stored = {
        row.pk: row.params for row in Notification.objects.filter(case=case, kind="status_changed")
    }
    assert stored == {rows[0].pk: {"n": 0}, rows[1].pk: {"n": 1}}


def test_kept_objects_are_the_querysets_objects_each_time():
    org = make_org()
    first = make_case(worker=org.worker, street=org.a.street)
    second = make_case(worker=org.worker, street=org.a.street)

    def build(case_id):
        return Deadline.objects.select_for_update().filter(case_id=case_id).order_by("pk")

    with transaction.atomic():
        for case in (first, second, first):
            kept = kept_sql.fetch("test: clocks", build, case.pk)
            expected = list(build(case.pk))
            assert [vars_of(d) for d in kept] == [vars_of(d) for d in expected]
            assert kept and all(d.case_id == case.pk for d in kept)


def vars_of(deadline):
    return {f.attname: getattr(deadline, f.attname) for f in Deadline._meta.concrete_fields}
