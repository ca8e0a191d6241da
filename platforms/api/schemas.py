"""What the API reads and writes, as typed schemas: the OpenAPI document is built from them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

from casework.core.bounds import MAX_DATE, MIN_DATE
from casework.core.forms import control_characters

QUEUES = Literal["awaiting", "overdue", "answered", "all"]
STATES = Literal[
    "accepted",
    "verifying",
    "awaiting_response",
    "mediating",
    "agreement_reached",
    "mediation_failed",
    "referred",
    "resolved",
    "transferred",
    "withdrawn",
    "closed",
]


def _plain_text(value: str) -> str:
    if control_characters(value, multiline=True):
        raise ValueError(_("Remove the control characters from this text."))
    return value


def _in_bounds(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(
            _("Enter a date between %(low)s and %(high)s.")
            % {"low": f"{MIN_DATE:%Y-%m-%d}", "high": f"{MAX_DATE:%Y-%m-%d}"}
        )
    return value


# The document says what is taken, so that a client (and schemathesis) can know it: dates of
# the years 2000 to 2100, amounts as text in yuan, above zero, at most two decimal places.
YEARS_2000_TO_2100 = "^(20[0-9]{2}|2100)-"
# Line breaks and tabs are text; the other control characters are refused (_plain_text).
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
Text = Annotated[str, AfterValidator(_plain_text)]
Day = Annotated[
    date,
    AfterValidator(_in_bounds),
    WithJsonSchema({"type": "string", "format": "date", "pattern": YEARS_2000_TO_2100}),
]
Amount = Annotated[
    Decimal,
    Field(gt=0, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$",
            "examples": ["1200.50"],
        }
    ),
]


class ErrorDetail(Schema):
    code: str = Field(description="Stable, for programs: e.g. not_found, rate_limited.")
    message: str = Field(description="For people, in the language of Accept-Language.")
    fields: dict[str, str] = Field(description="What is wrong with each field sent, if any.")


class Error(Schema):
    error: ErrorDetail


class Party(Schema):
    position: int
    kind: str
    name: str


class CaseSummary(Schema):
    id: int
    reference: str
    state: str
    state_label: str
    category: str
    category_label: str
    worker_name: str = Field(description="Masked: the first character only, e.g. 张*.")
    employer_chain: list[Party]
    amount_claimed: Decimal
    period_start: date
    period_end: date
    response_due_on: date | None = Field(description="The day our response is due, if running.")
    created_at: datetime
    updated_at: datetime


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


class EvidenceFile(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime


class CaseDetail(CaseSummary):
    worker_mobile: str = Field(description="Masked: 138****8000.")
    description: str = Field(description="As the worker wrote it, phone and ID numbers masked.")
    amount_verified: Decimal | None
    amount_agreed: Decimal | None
    consent_to_share: bool = Field(description="Whether the worker shares their files with us.")
    evidence: list[EvidenceFile]


class TimelineEvent(Schema):
    kind: str
    headline: str = Field(description="What happened, in the language of Accept-Language.")
    at: datetime


class Timeline(Schema):
    case_id: int
    events: list[TimelineEvent]


class Instalment(Schema):
    due_on: Day
    amount: Amount


class ResponseIn(Schema):
    kind: Literal["accept", "dispute", "plan"] = Field(
        description="accept: we pay `amount` by `pay_by`; dispute: `reasons`; plan: "
        "`instalments` (at least two)."
    )
    amount: Amount | None = None
    pay_by: Day | None = None
    reasons: Annotated[
        Text,
        Field(max_length=4000, json_schema_extra={"pattern": NO_CONTROL_CHARACTERS}),
    ] = ""
    instalments: Annotated[list[Instalment], Field(max_length=60)] = []


class ResponseOut(Schema):
    id: int
    case_id: int
    kind: str
    amount: Decimal | None
    pay_by: date | None
    instalments: list[Instalment]
    late: bool = Field(description="Whether it came after the response deadline.")
    responded_at: datetime


class EvidenceOut(Schema):
    case_id: int
    files: list[EvidenceFile]
