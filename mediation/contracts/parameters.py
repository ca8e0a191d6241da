"""The typed parameters that clause templates may use, and how clause text is filled in.

Clause texts live in the database (an admin may add clauses), but each parameter they name is
defined here: its type, its unit and the range a negotiated value must fall in. The ranges are
deliberately wide (what a bureau would accept at all), not what a good contract should say.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

MONEY = "money"  # CNY, two decimals
DECIMAL = "decimal"  # one decimal
INTEGER = "integer"

PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    label: str
    unit: str
    minimum: Decimal
    maximum: Decimal
    # Why 0 is refused, for a cap: "at most 0 yuan" is a clause that contradicts itself.
    zero_hint: str | None = None

    @property
    def places(self) -> int:
        return {MONEY: 2, DECIMAL: 1, INTEGER: 0}[self.kind]

    def parse(self, raw) -> Decimal | int:
        """The value as a number within range; raises ValueError with a translated message."""
        text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
        if not text:
            raise ValueError(_("Enter a value for “%(label)s”.") % {"label": self.label})
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(label)s” must be a number.") % {"label": self.label})
        if self.kind == INTEGER and number != number.to_integral_value():
            raise ValueError(_("“%(label)s” must be a whole number.") % {"label": self.label})
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise ValueError(
                _("“%(label)s” takes at most %(places)d decimal places.")
                % {"label": self.label, "places": self.places}
            )
        if number == 0 and self.minimum > 0 and self.zero_hint:
            raise ValueError(str(self.zero_hint))
        if not self.minimum <= number <= self.maximum:
            raise ValueError(
                _("“%(label)s” must be between %(min)s and %(max)s %(unit)s.")
                % {
                    "label": self.label,
                    "min": self.display(self.minimum),
                    "max": self.display(self.maximum),
                    "unit": self.unit,
                }
            )
        if self.kind == INTEGER:
            return int(number)
        return number.quantize(Decimal(1).scaleb(-self.places))

    def canonical(self, raw) -> str:
        """The stored form of a valid value (a string, so JSON keeps Decimal exact)."""
        return self.display(self.parse(raw))

    def display(self, value) -> str:
        number = Decimal(str(value))
        if self.kind == INTEGER:
            return str(int(number))
        return f"{number.quantize(Decimal(1).scaleb(-self.places)):f}"

    def in_text(self, stored: str) -> str:
        """As the contract prints it: 25元 rather than 25.00元, but 4.50元 and 4.5小时."""
        number = Decimal(stored)
        if number == number.to_integral_value():
            return str(int(number))
        return self.display(number)


def _p(name, kind, label, unit, minimum, maximum, zero_hint=None) -> Parameter:
    return Parameter(name, kind, label, unit, Decimal(minimum), Decimal(maximum), zero_hint)


# Labels are lazy: they are read in the reader's language when a form shows them.
PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        _p(
            "hourly_floor",
            MONEY,
            gettext_lazy("Hourly income floor"),
            gettext_lazy("yuan an hour"),
            "10",
            "300",
        ),
        _p(
            "piece_rate",
            MONEY,
            gettext_lazy("Base pay per order"),
            gettext_lazy("yuan an order"),
            "0.50",
            "100",
        ),
        _p(
            "settlement_day",
            INTEGER,
            gettext_lazy("Pay settled by this day of the month"),
            gettext_lazy("day of the month"),
            "1",
            "28",
        ),
        _p(
            "fare_refund_days",
            INTEGER,
            gettext_lazy("Advanced fares and tolls refunded within"),
            gettext_lazy("days"),
            "1",
            "30",
        ),
        _p(
            "commission_cap_percent",
            DECIMAL,
            gettext_lazy("Commission cap"),
            # xgettext:no-python-format
            gettext_lazy("% of the order price"),
            "1",
            "50",
            gettext_lazy(
                "A commission cap of 0% would make the clause read “at most 0% of the order "
                "price”: if no commission is charged, write a clause of your own that says so."
            ),
        ),
        _p(
            "rest_prompt_after_hours",
            DECIMAL,
            gettext_lazy("Rest prompt after continuous work of"),
            gettext_lazy("hours"),
            "1",
            "12",
        ),
        _p(
            "rest_minutes",
            INTEGER,
            gettext_lazy("Length of the rest"),
            pgettext_lazy("duration unit", "minutes"),
            "5",
            "120",
        ),
        _p(
            "daily_hours_cap",
            INTEGER,
            gettext_lazy("No new orders after a day's work of"),
            gettext_lazy("hours"),
            "6",
            "16",
        ),
        _p(
            "speed_cap_kmh",
            INTEGER,
            gettext_lazy("Speed assumed by delivery-time algorithms, at most"),
            gettext_lazy("km/h"),
            "10",
            "40",
        ),
        _p(
            "heat_threshold_celsius",
            INTEGER,
            gettext_lazy("Heat allowance from this temperature"),
            gettext_lazy("°C"),
            "30",
            "42",
        ),
        _p(
            "weather_allowance_per_order",
            MONEY,
            gettext_lazy("Extreme-weather allowance"),
            gettext_lazy("yuan an order"),
            "0.50",
            "30",
        ),
        _p(
            "accident_cover",
            MONEY,
            gettext_lazy("Commercial accident insurance cover"),
            gettext_lazy("yuan"),
            "10000",
            "5000000",
        ),
        _p(
            "training_hours_per_year",
            INTEGER,
            gettext_lazy("Free training a year"),
            gettext_lazy("hours"),
            "1",
            "200",
        ),
        _p(
            "consultation_per_year",
            INTEGER,
            gettext_lazy("Algorithm consultations a year, at least"),
            gettext_lazy("times"),
            "1",
            "12",
        ),
        # E-Commerce Law §34: platform rule changes are published at least seven days ahead.
        _p(
            "notice_days",
            INTEGER,
            gettext_lazy("Notice before a rule change"),
            gettext_lazy("days"),
            "7",
            "90",
        ),
        _p(
            "late_deduction_cap",
            MONEY,
            gettext_lazy("Late-delivery deduction, at most"),
            gettext_lazy("yuan an order"),
            "0.50",
            "50",
            gettext_lazy(
                "A cap of 0 yuan would make the clause read “at most 0 yuan an order”: to "
                "abolish late-delivery deductions, add the clause “Late-delivery deductions "
                "abolished” (取消超时扣款) instead."
            ),
        ),
        _p(
            "appeal_reply_days",
            INTEGER,
            gettext_lazy("Human review of an appeal within"),
            gettext_lazy("days"),
            "1",
            "15",
        ),
        _p(
            "meetings_per_year",
            INTEGER,
            gettext_lazy("Regular talks a year, at least"),
            gettext_lazy("times"),
            "1",
            "12",
        ),
    ]
}

# Filled in from the contract itself, not negotiated per clause.
# `employer` is the side that signs (a platform company, or an industry association for an
# industry contract); `enterprise` is who bears the duties: the company itself, or the
# association's member enterprises, since an association pays no wages.
CONTEXT_PLACEHOLDERS = ("scope", "employer", "enterprise", "union", "term_start", "term_end")


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER_RE.findall(text)


def template_problems(text: str, parameters: dict) -> list[str]:
    """What is wrong with a clause template: unknown parameters or placeholders without one."""
    problems = []
    for name in parameters:
        if name not in PARAMETERS:
            problems.append(_("Unknown parameter “%(name)s”.") % {"name": name})
    for name in placeholders(text):
        if name not in parameters and name not in CONTEXT_PLACEHOLDERS:
            problems.append(
                _(
                    "The text uses {%(name)s}, which is neither a parameter of the clause "
                    "nor one of %(known)s."
                )
                % {"name": name, "known": ", ".join(CONTEXT_PLACEHOLDERS)}
            )
    for name, default in parameters.items():
        if name in PARAMETERS:
            try:
                PARAMETERS[name].parse(default)
            except ValueError as error:
                problems.append(str(error))
    return problems


def clean_values(parameter_names, raw: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical values for the named parameters, and the errors by parameter name."""
    values, errors = {}, {}
    for name in parameter_names:
        try:
            values[name] = PARAMETERS[name].canonical(raw.get(name))
        except ValueError as error:
            errors[name] = str(error)
    return values, errors


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def fill(text: str, values: dict[str, str], *, missing: str | None = None) -> str:
    """The clause text with its placeholders replaced (one without a value by `missing`, or
    left as it is). Not str.format: an admin-edited text must not reach attributes or indexes
    of the values."""
    return PLACEHOLDER_RE.sub(
        lambda match: values.get(match.group(1), match.group(0) if missing is None else missing),
        text,
    )
