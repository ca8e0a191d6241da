"""On PostgreSQL, statements are bound on the server (config/binding.py); one with more
parameters than the protocol carries is quoted on the client instead, and still answers."""

import pytest
from django.db import connection

from casework.organisation.models import User
from tests.factories.organisation import make_staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="server-side binding is PostgreSQL's"
    ),
]


def test_statements_are_bound_on_the_server():
    assert connection.features.uses_server_side_binding


def test_a_lookup_of_seventy_thousand_ids_answers():
    someone = make_staff()
    ids = [someone.pk, *range(10**9, 10**9 + 70_000)]
    assert list(User.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [someone.pk]


def test_a_huge_statement_keeps_its_percent_signs_and_quotes():
    someone = make_staff(display_name="100% 'quoted'")
    ids = [someone.pk, *range(10**9, 10**9 + 70_000)]
    found = User.objects.filter(pk__in=ids, display_name__contains="0% 'q")
    assert [user.pk for user in found] == [someone.pk]


def test_a_statement_run_five_times_is_prepared():
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
