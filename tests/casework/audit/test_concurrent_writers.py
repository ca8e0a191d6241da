"""Writers at the same moment: one sequence, in commit order, and the chain still verifies."""

import pytest
from django.db import connection

from casework.audit.models import ChainEntry
from casework.audit.verify import verify_chain
from casework.cases.services.transitions import case_transition
from tests.concurrency import run_together
from tests.factories.cases import make_case, make_org

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite runs one writer at a time"
    ),
]


def test_concurrent_transitions_make_one_gapless_chain():
    org = make_org()
    cases = [
        make_case(worker=org.worker, street=org.a.street, platform=org.platform) for _ in range(6)
    ]
    results = run_together(
        [
            lambda case=case: case_transition(actor=org.supervisor, case_id=case.pk, name="accept")
            for case in cases
        ]
    )
    assert all(ok for ok, _value in results), results
    seqs = list(ChainEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    report = verify_chain()
    assert report.ok, [str(p) for p in report.problems]
