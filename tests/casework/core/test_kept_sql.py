"""Issue 19: SQL kept per process and bound to new values (casework/core/kept_sql.py). What a
kept query returns is what the same queryset returns, for any value; a shape whose SQL depends
on the value is not kept, and still answers right."""

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from casework.cases.models import Case, CaseParty
from casework.core import kept_sql
from casework.organisation.models import User
from tests.factories.cases import make_case, make_case_worker, make_street_org

pytestmark = pytest.mark.django_db


def _cases(pk):
    return (
        Case.objects.filter(pk=pk)
        .select_related("jurisdiction")
        .annotate(parties_named=Count("parties"))
    )


@pytest.fixture
def two_cases():
    street = make_street_org("测试街道").street
    first = make_case(worker=make_case_worker("甲师傅"), street=street)
    second = make_case(worker=make_case_worker("乙师傅"), street=street, description="第二件")
    return first, second


def test_each_call_reads_the_row_of_its_own_value(two_cases):
    first, second = two_cases
    for case in (first, second, first):
        [found] = kept_sql.fetch("test: case", _cases, case.pk)
        assert found.pk == case.pk
        assert found.description == case.description
        assert found.jurisdiction.name == case.jurisdiction.name  # select_related filled
        assert found.parties_named == CaseParty.objects.filter(case=case).count()
    assert kept_sql.fetch("test: case", _cases, 10**12) == []


def test_a_kept_shape_costs_one_query_and_values_lists_work_too(two_cases):
    first, second = two_cases
    build = lambda pk: Case.objects.filter(pk__gte=pk).order_by("pk").values_list("pk", "state")  # noqa: E731
    kept_sql.fetch("test: rows", build, first.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = kept_sql.fetch("test: rows", build, second.pk)
    assert rows == [(second.pk, second.state)]
    assert len(queries) == 1


def test_several_values_bind_in_their_places(two_cases):
    first, second = two_cases
    found = kept_sql.fetch(
        ("test: users", 2),
        lambda *pks: User.objects.filter(pk__in=pks),
        first.worker_id,
        second.worker_id,
    )
    assert {user.pk for user in found} == {first.worker_id, second.worker_id}
    found = kept_sql.fetch(
        ("test: users", 2), lambda *pks: User.objects.filter(pk__in=pks), second.worker_id, 10**12
    )
    assert [user.pk for user in found] == [second.worker_id]


def test_a_shape_whose_sql_depends_on_the_value_is_built_each_time(two_cases):
    first, second = two_cases
    # The value is transformed before it reaches the SQL: not a stand-in the module can place.
    shifted = lambda pk: Case.objects.filter(pk=pk + 1)  # noqa: E731
    assert [c.pk for c in kept_sql.fetch("test: shifted", shifted, first.pk - 1)] == [first.pk]
    assert [c.pk for c in kept_sql.fetch("test: shifted", shifted, second.pk - 1)] == [second.pk]
    # An empty list makes no SQL at all: still an empty answer, not an error.
    nothing = lambda pk: Case.objects.filter(pk=pk, worker_id__in=[])  # noqa: E731
    assert kept_sql.fetch("test: nothing", nothing, first.pk) == []


def test_prefetches_still_run(two_cases):
    first, _second = two_cases
    with_parties = lambda pk: Case.objects.filter(pk=pk).prefetch_related("parties")  # noqa: E731
    [case] = kept_sql.fetch("test: prefetch", with_parties, first.pk)
    with CaptureQueriesContext(connection) as queries:
        names = [party.name for party in case.parties.all()]
    assert len(queries) == 0
    assert len(names) == CaseParty.objects.filter(case=first).count()


def test_reads_made_together_answer_as_made_apart(two_cases):
    first, second = two_cases
    reads = (
        kept_sql.Read("test: case", _cases, (second.pk,)),
        kept_sql.Read(
            ("test: users", 1), lambda pk: User.objects.filter(pk__in=[pk]), (first.worker_id,)
        ),
        kept_sql.Read("test: shifted", lambda pk: Case.objects.filter(pk=pk + 1), (first.pk - 1,)),
        kept_sql.Read(None, lambda: Case.objects.order_by("pk").values_list("pk", flat=True)),
    )
    with CaptureQueriesContext(connection) as queries:
        case, users, shifted, every = kept_sql.fetch_together(*reads)
    assert len(queries) == 4  # each statement is logged, wherever it ran
    assert [c.pk for c in case] == [second.pk]
    assert case[0].jurisdiction.name == second.jurisdiction.name
    assert [u.pk for u in users] == [first.worker_id]
    assert [c.pk for c in shifted] == [first.pk]
    assert list(every) == [first.pk, second.pk]
    again, *_rest = kept_sql.fetch_together(
        kept_sql.Read("test: case", _cases, (first.pk,)), *reads[1:]
    )
    assert [c.pk for c in again] == [first.pk]


def test_text_values_bind_in_their_places_too(two_cases):
    first, second = two_cases
    by_reference = lambda reference: Case.objects.filter(reference=reference)  # noqa: E731
    for case in (first, second, first):
        assert [
            c.pk for c in kept_sql.fetch("test: by reference", by_reference, case.reference)
        ] == [case.pk]
    assert kept_sql.fetch("test: by reference", by_reference, "无此编号") == []


@pytest.mark.django_db(transaction=True)
def test_a_kept_lock_outside_a_transaction_is_refused_as_djangos():
    """The ORM refuses `select_for_update` outside a transaction; a kept statement does too,
    however warm the process is."""
    person = make_case_worker("丙师傅")
    locked = lambda pk: User.objects.select_for_update().filter(pk=pk)  # noqa: E731
    with transaction.atomic():
        assert [u.pk for u in kept_sql.fetch("test: lock", locked, person.pk)] == [person.pk]
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            kept_sql.fetch("test: lock", locked, person.pk)
    else:  # SQLite locks nothing, and the ORM does not refuse
        assert [u.pk for u in kept_sql.fetch("test: lock", locked, person.pk)] == [person.pk]
