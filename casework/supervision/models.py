"""Daily rollups for the statistics page (casework.supervision.measures), so a year's figures
add up a few thousand rows instead of reading every case, step, payment and clock of it.

Kept by PostgreSQL triggers on cases, timeline steps, payments and clocks (migration
0035_measure_rollups_dashperf); empty on SQLite, where the page counts the rows themselves.
Each row is keyed by the case's street or park and category as they are now (a case moved
to another street or category takes its steps, payments and clocks with it); MeasureDay and
ClockDay also keep each figure under category "" (all categories), so the page without a
category filter reads one row per day and street instead of fourteen.
"""

from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}
# No foreign key constraints: a rollup row must never block deleting a unit or a rule, and
# the triggers write them in the same transaction as the rows they count.
# No index of their own either: each table's key (category first: the page asks for one
# category, or "" for all) is the index its reads use.
KEY = {
    "on_delete": models.DO_NOTHING,
    "db_constraint": False,
    "db_index": False,
    "related_name": "+",
}


class MeasureDay(models.Model):
    """Per day (Beijing time), street or park and category: cases filed that day and their
    amounts now; "resolve" steps taken that day; confirmed payments paid that day; and the
    confirmed payments, whenever paid, on the cases filed that day."""

    day = models.DateField()
    jurisdiction = models.ForeignKey("casework.Unit", **KEY)
    category = models.CharField(max_length=30)
    filed = models.IntegerField(default=0)
    claimed = models.DecimalField(**MONEY)
    verified = models.DecimalField(**MONEY)
    agreed = models.DecimalField(**MONEY)
    owed = models.DecimalField(**MONEY)  # agreed, else verified, else claimed
    resolved = models.IntegerField(default=0)
    recovered = models.DecimalField(**MONEY)
    recovered_by_filed = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "jurisdiction", "day"], name="measureday_key"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.jurisdiction_id} {self.category}"


class ClockDay(models.Model):
    """Per day, street or park, category and clock rule: clocks closed that day on time or
    late; clocks started that day (not cancelled, answered, answered on time); clocks
    running on open cases that fall due that day (overdue now: those due before today)."""

    day = models.DateField()
    jurisdiction = models.ForeignKey("casework.Unit", **KEY)
    category = models.CharField(max_length=30)
    rule = models.ForeignKey("casework.DeadlineRule", **KEY)
    met = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    started = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    running_due = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "jurisdiction", "day", "rule"], name="clockday_key"
            )
        ]
        indexes = [
            # Overdue now: the days before today with clocks still running.
            models.Index(
                fields=["category", "jurisdiction", "day"],
                condition=~models.Q(running_due=0),
                name="clockday_running",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.jurisdiction_id} {self.category} {self.rule_id}"


class StateCount(models.Model):
    """Cases now per street or park, category and status (the open ones are the page's
    "open cases" by status, category and street)."""

    jurisdiction = models.ForeignKey("casework.Unit", **KEY)
    category = models.CharField(max_length=30)
    state = models.CharField(max_length=50)
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "jurisdiction", "state"], name="statecount_key"
            )
        ]

    def __str__(self):
        return f"{self.jurisdiction_id} {self.category} {self.state}"


class OpenCompanyCount(models.Model):
    """Open cases now that name a company (once per case, whatever its role), per street or
    park and category (and "" for all categories): the page's open cases by platform or
    operator."""

    company = models.ForeignKey("platforms.Company", **KEY)
    jurisdiction = models.ForeignKey("casework.Unit", **KEY)
    category = models.CharField(max_length=30)
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "jurisdiction", "company"], name="opencompanycount_key"
            )
        ]

    def __str__(self):
        return f"{self.company_id} {self.jurisdiction_id} {self.category}"


class WaitCount(models.Model):
    """How many cases filed on a day (span "d") or in a month (span "m", start: its first
    day) waited how long for their first acceptance (measure "a") or resolution ("r"),
    counted in cells of the wait (half hours for the first three days, then six hours:
    waits.wait_cell), per street or park and category (and "" for all categories). The
    waits' median and p90 find their cell here, then read only that cell's cases."""

    span = models.CharField(max_length=1)
    start = models.DateField()
    jurisdiction = models.ForeignKey("casework.Unit", **KEY)
    category = models.CharField(max_length=30)
    measure = models.CharField(max_length=1)
    cell = models.IntegerField()
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "span", "jurisdiction", "start", "measure", "cell"],
                include=["cases"],  # the histogram from the index alone
                name="waitcount_key",
            )
        ]

    def __str__(self):
        return f"{self.span}{self.start} {self.jurisdiction_id} {self.measure}{self.cell}"
