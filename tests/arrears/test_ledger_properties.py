"""Properties of the ledger that must hold whatever is recorded: balances never go negative;
the sum of the payments is what was recorded; a correction cancels exactly; shares add up to
the fen. And two payments recorded at the same moment cannot together pay more than owed."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.ledger import case_ledger
from arrears.models import Payment
from arrears.money import split_shares
from arrears.services import payment_record, payment_reverse
from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.organisation.models import User
from tests.arrears.ledger_helpers import NOW, TODAY, D, verify, verifying_case
from tests.concurrency import run_together
from tests.factories.cases import make_org

cents = st.integers(min_value=1, max_value=200_000).map(lambda n: Decimal(n) / 100)


@given(total=st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) / 100),
       weights=st.lists(st.integers(min_value=1, max_value=1000).map(Decimal), min_size=1,
                        max_size=24))  # fmt: skip
def test_shares_add_up_to_the_total_to_the_fen(total, weights):
    shares = split_shares(total, weights)
    assert sum(shares) == total
    assert all(share == share.quantize(Decimal("0.01")) for share in shares)
    # Every share but the last is its exact part rounded half up: off by at most half a fen.
    whole = sum(weights)
    for share, weight in zip(shares[:-1], weights[:-1], strict=True):
        assert abs(share - total * weight / whole) <= Decimal("0.005")


def test_half_a_fen_rounds_up_and_the_last_share_takes_the_rest():
    assert split_shares(D("100.00"), [D(1), D(1), D(1)]) == [D("33.33"), D("33.33"), D("33.34")]
    assert split_shares(D("0.05"), [D(1), D(1)]) == [D("0.03"), D("0.02")]


@pytest.mark.django_db
@pytest.mark.now(NOW)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("pay"), cents),
            st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
        ),
        max_size=12,
    )
)
def test_balances_never_go_negative_and_add_up(ledger_case, steps):
    org, case = ledger_case
    with transaction.atomic():
        recorded: list[Decimal] = []
        for kind, value in steps:
            try:
                if kind == "pay":
                    payment_record(
                        actor=org.a.coordinator, case_id=case.pk, amount=value,
                        paid_on=TODAY, method="bank",
                    )  # fmt: skip
                    recorded.append(value)
                else:
                    payments = list(Payment.objects.filter(case=case).order_by("pk"))
                    if not payments:
                        continue
                    target = payments[value % len(payments)]
                    payment_reverse(
                        actor=org.a.coordinator, case_id=case.pk, payment_id=target.pk,
                        reason="录入错误",
                    )  # fmt: skip
                    recorded.append(-target.amount)
            except ActionRefused:
                pass
            fresh = Case.objects.get(pk=case.pk)
            ledger = case_ledger(user=org.a.coordinator, case=fresh)
            assert ledger.paid == sum(recorded, D("0.00")) == fresh.amount_paid
            assert ledger.paid >= 0 and ledger.outstanding >= 0
            assert ledger.paid + ledger.outstanding == D("1000.00")
            for row in ledger.payments:
                if row.corrected_by is not None:
                    assert row.payment.amount + row.corrected_by.amount == 0
        transaction.set_rollback(True)


@pytest.fixture
def ledger_case(db):
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "1000.00")
    return org, case


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@postgres_only
@pytest.mark.now(NOW, tick=True)
@pytest.mark.django_db(transaction=True)
def test_two_payments_at_the_same_moment_cannot_together_overpay():
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "100.00")
    coordinator_id, mediator_id = org.a.coordinator.pk, org.a.mediator.pk

    def pay_as(user_id):
        def call():
            actor = User.objects.get(pk=user_id)
            return payment_record(
                actor=actor, case_id=case.pk, amount="60.00", paid_on=TODAY, method="cash"
            )

        return call

    results = run_together([pay_as(coordinator_id), pay_as(mediator_id)])

    assert sorted(ok for ok, _value in results) == [False, True]
    refusal = next(value for ok, value in results if not ok)
    assert isinstance(refusal, ActionRefused) and "¥40.00" in refusal.message
    assert Payment.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).amount_outstanding == D("40.00")
    if connection.vendor == "postgresql":  # the rollup agrees with a fresh count
        from tests.arrears.test_employer_totals import recount, snapshot

        assert snapshot() == recount()
