"""Reads on the replica (casework/core/replica.py): the dashboards, exports, audit browser and
API list read from it; writes, other pages, a user's reads right after their own write, and
every read while the replica is down stay on the primary. The replica is the test mirror of
the primary (config/settings_test.py): a second connection to the same database, so the tests
commit (transaction=True) for it to see the rows."""

import logging
from contextlib import nullcontext
from datetime import date

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.enforcement import LedgerExport
from casework.core import replica
from platforms.api.services import token_create
from tests.factories.cases import make_case, make_org

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.now(date(2026, 3, 20), hour=15),
]
DASHBOARD = reverse("casework:dashboard")


@pytest.fixture
def replica_on(settings):
    """DATABASE_REPLICA_URL as if set, with nothing remembered of the replica or of writes."""
    from django.core.cache import cache

    settings.ANXIN_REPLICA_READS = True
    replica.forget_status()
    cache.clear()
    yield
    replica.forget_status()


@pytest.fixture
def org():
    org = make_org()
    org.unit_office.covers.add(org.a.street, org.b.street)
    make_case(worker=org.worker, street=org.a.street)
    return org


@pytest.fixture
def replica_down():
    """The replica stops answering: its connection points where nothing listens."""
    connection = connections[replica.REPLICA]
    before = dict(connection.settings_dict)
    connection.close()

    def stop():
        connection.close()
        if connection.vendor == "postgresql":
            connection.settings_dict["PORT"] = "1"  # nothing listens there: refused at once
        else:
            connection.settings_dict["NAME"] = "/nonexistent/anxin-replica.sqlite3"

    yield stop
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(before)


class _Nothing:
    captured_queries: list = []


def _get(client, url, *, replica_up=True):
    """The response, and the SQL each database ran for it (capturing connects: not to a
    replica that is down)."""
    mirror = CaptureQueriesContext(connections[replica.REPLICA]) if replica_up else nullcontext()
    with CaptureQueriesContext(connections["default"]) as primary, mirror as on_mirror:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return response, primary, on_mirror or _Nothing()


def _reads(captured) -> list[str]:
    """The reads, without the question whether the replica is there and how far behind."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().startswith("SELECT")
        and q["sql"] != "SELECT 1"
        and "pg_is_in_recovery" not in q["sql"]
    ]


def test_the_dashboard_reads_from_the_replica_and_shows_the_same_figures(client, org, replica_on):
    client.force_login(org.supervisor)
    # given the page as the primary shows it
    with replica.reads_from_replica(org.supervisor, alias="default"):
        on_primary = client.get(DASHBOARD)

    # when the replica answers
    response, _primary, mirror = _get(client, DASHBOARD)

    # then the figures come from the replica, and they are the same
    assert response.status_code == 200
    assert len(_reads(mirror)) >= 3, "the dashboard's figures were not read from the replica"
    assert response.context["board"] == on_primary.context["board"]
    assert response.content.decode().count("<tr") == on_primary.content.decode().count("<tr")


def test_pages_outside_a_scope_and_the_dashboard_when_off_stay_on_the_primary(
    client, org, settings
):
    client.force_login(org.supervisor)
    settings.ANXIN_REPLICA_READS = True
    replica.forget_status()
    _response, _primary, mirror = _get(client, reverse("casework:queue"))
    assert mirror.captured_queries == [], "the queue (not a replica page) read from the replica"

    settings.ANXIN_REPLICA_READS = False
    response, _primary, mirror = _get(client, DASHBOARD)
    assert response.status_code == 200
    assert mirror.captured_queries == [], "without DATABASE_REPLICA_URL nothing reads elsewhere"


def test_an_export_reads_from_the_replica_and_records_itself_on_the_primary(
    client, org, replica_on
):
    client.force_login(org.supervisor)
    response, primary, mirror = _get(client, reverse("casework:case_export", args=["csv"]))

    assert response.status_code == 200
    assert _reads(mirror), "the export's rows were not read from the replica"
    writes = [q["sql"] for q in mirror.captured_queries if "INSERT" in q["sql"]]
    assert writes == [], "the replica was written to"
    assert any("INSERT" in q["sql"] for q in primary.captured_queries)
    assert LedgerExport.objects.filter(user=org.supervisor, kind="cases").count() == 1


def test_writes_inside_a_scope_go_to_the_primary(org, replica_on):
    router = replica.ReplicaRouter()
    with replica.reads_from_replica(org.supervisor) as alias:
        assert alias == replica.REPLICA
        assert router.db_for_read(LedgerExport) == replica.REPLICA
        assert router.db_for_write(LedgerExport) == "default"
        with CaptureQueriesContext(connections[replica.REPLICA]) as mirror:
            LedgerExport.objects.create(user=org.supervisor, kind="cases", fmt="csv", filters={})
        assert mirror.captured_queries == []
    assert router.db_for_read(LedgerExport) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(org, replica_on):
    from django.db import transaction

    with replica.reads_from_replica(org.supervisor), transaction.atomic():
        assert replica.ReplicaRouter().db_for_read(LedgerExport) == "default"


def test_after_their_own_write_a_user_reads_from_the_primary(client, org, replica_on):
    client.force_login(org.supervisor)
    # given the supervisor has just written (a POST that changed their notifications)
    assert client.post(reverse("casework:inbox_read_all")).status_code in (200, 302)

    # when they open the dashboard at once
    response, _primary, mirror = _get(client, DASHBOARD)

    # then the primary answers (the mirror cannot say it replayed the write: it waits for
    # the note to expire), while someone who wrote nothing still reads from the replica
    assert response.status_code == 200
    assert _reads(mirror) == [], "the supervisor's own write might not show yet"
    other = Client()
    other.force_login(org.admin)
    _response, _primary, mirror = _get(other, DASHBOARD)
    assert _reads(mirror), "another user's write kept everyone on the primary"


def test_when_the_replica_is_down_the_primary_answers_and_it_is_logged(
    client, org, replica_on, replica_down, caplog
):
    client.force_login(org.supervisor)
    replica_down()
    with caplog.at_level(logging.WARNING, logger="anxin.replica"):
        response, primary, _mirror = _get(client, DASHBOARD, replica_up=False)

    assert response.status_code == 200
    assert len(_reads(primary)) >= 3
    assert "replica" in caplog.text and "unreachable" in caplog.text


def test_a_replica_that_fails_mid_page_makes_the_page_run_on_the_primary(
    client, org, replica_on, replica_down, caplog
):
    client.force_login(org.supervisor)
    assert client.get(DASHBOARD).status_code == 200  # the replica answered: its state is kept
    replica_down()  # it stops before the next check

    with caplog.at_level(logging.WARNING, logger="anxin.replica"):
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert "failed" in caplog.text
    assert replica.choose_alias(org.admin) == "default"  # until the retry interval is over


def test_the_audit_browser_and_the_api_list_read_from_the_replica(client, org, replica_on):
    client.force_login(org.admin)
    # (The browser's history page itself cannot run on SQLite: its UNION of ordered halves.)
    response, _primary, mirror = _get(client, reverse("casework:audit_access_log"))
    assert response.status_code == 200
    assert _reads(mirror), "the audit browser did not read from the replica"

    _token, secret = token_create(actor=org.representative, name="ERP")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    response, _primary, mirror = _get(api, "/api/v1/cases/?queue=all")
    assert response.status_code == 200, response.content
    assert _reads(mirror), "the API's case list did not read from the replica"


def test_wal_positions_compare_in_order():
    assert replica.lsn_to_int("0/16B3740") < replica.lsn_to_int("0/16B3748")
    assert replica.lsn_to_int("0/FFFFFFFF") < replica.lsn_to_int("1/0")
    assert replica.lsn_to_int(None) is None
