"""The test clock: every test that reads the date or the time sets it here, with time-machine.

Three ways in, one mechanism (time-machine moves `time.time()`, `datetime.now()`,
`date.today()` and so `timezone.now()` and the fields Django fills itself, auto_now):

- `@pytest.mark.now("2026-03-16")` on a test, a class or a module (`pytestmark`): the clock is
  set before any other fixture runs, so the data the fixtures build is dated then too. It keeps
  ticking from there unless `tick=False`.
- the `now_is` fixture, to move the clock during a test: `now_is("2026-04-01", hour=0)`
  returns the moment; `now_is.shift(timedelta(minutes=5))` moves it on.
- `with frozen_now(moment):` for one step at a fixed moment (filing a case on a given day).

A date alone means 09:00 that day in Beijing; a date and time without an offset is Beijing time.

`pytest --pretend-now=ISO` (tests/conftest.py) runs the tests that do not set the clock at
another moment, the clock ticking from there: a test that reads the date without setting it
then meets that moment. `make test` does it twice, at moments where careless date arithmetic
breaks (a make-up Saturday; New Year's night in Beijing, still the old year in UTC, in a year
without an official calendar). Browser tests cannot set the clock: Chromium keeps the real one.

The clock of PostgreSQL (now(), CURRENT_DATE) does not move: the application never asks it
for the time, and must not start to.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(when: date | datetime | str, hour: int = 9, minute: int = 0) -> datetime:
    """The aware moment `when` names: a date (or "YYYY-MM-DD") at hour:minute, Beijing time; a
    datetime (or ISO string) without an offset in Beijing time; an aware one unchanged."""
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when)
        except ValueError:
            when = datetime.fromisoformat(when)
    if not isinstance(when, datetime):
        when = datetime.combine(when, time(hour, minute))
    if when.tzinfo is None:
        when = when.replace(tzinfo=BEIJING)
    return when


@contextmanager
def frozen_now(moment: datetime) -> Iterator[datetime]:
    """Run the block at `moment`, the clock standing still."""
    with time_machine.travel(moment, tick=False):
        yield moment


class Clock:
    """What the `now_is` fixture returns: call it to move the clock to a moment."""

    def __init__(self, machine: time_machine.TimeMachineFixture):
        self._machine = machine

    def __call__(
        self, when: date | datetime | str, *, hour: int = 9, minute: int = 0, tick: bool = True
    ) -> datetime:
        moment = beijing(when, hour, minute)
        self._machine.move_to(moment, tick=tick)
        return moment

    def shift(self, delta: timedelta) -> None:
        """Move the clock on from where it is (back, with a negative delta)."""
        self._machine.shift(delta)
