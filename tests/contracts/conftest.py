import pytest

from tests.factories.seeds import restore_seeded_rows


@pytest.fixture(autouse=True)
def seed_data(db):
    """Put the migrations' seed back when an earlier transactional test (anywhere in the run)
    flushed it: the clause library, the CBA deadline rules, the calendar, the system user."""
    restore_seeded_rows()
