"""Document numbers under concurrency: consecutive, never twice, never a gap (PostgreSQL)."""

import time

import pytest
from django.db import connection, transaction

from casework.organisation.choices import TeamKind
from casework.organisation.models import User
from mediation.documents.numbers import number_allocate
from mediation.models import DocumentNumber, NumberingSeries
from tests.concurrency import run_together
from tests.factories.organisation import make_staff, make_team

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.now("2026-04-13T10:00+08:00")
def test_agreements_drawn_up_at_the_same_moment_get_consecutive_numbers():
    team = make_team(kind=TeamKind.MEDIATORS)
    NumberingSeries.objects.create(team=team, prefix="滨人调字")
    subject_ids = [make_staff(display_name=f"当事人{i}").pk for i in range(8)]

    def draw_up(subject_id):
        def call():
            with transaction.atomic():
                number = number_allocate(subject=User.objects.get(pk=subject_id), team=team)
                time.sleep(0.05)  # the rest of drawing up, while the counter stays locked
                return number.number

        return call

    # one mediator's transaction fails after taking a number: it gives the number back
    def fails():
        with transaction.atomic():
            number_allocate(subject=User.objects.get(pk=subject_ids[0]), team=team)
            raise RuntimeError("the agreement was refused after its number was taken")

    results = run_together([fails, *[draw_up(pk) for pk in subject_ids[1:]]])
    assert not results[0][0]
    numbers = sorted(value for ok, value in results[1:] if ok)
    assert len(numbers) == 7, results
    assert numbers == list(range(1, 8)), "no gap, no number twice"
    texts = set(DocumentNumber.objects.values_list("text", flat=True))
    assert "滨人调字〔2026〕第 7 号" in texts and len(texts) == 7
