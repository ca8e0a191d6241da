"""The employer's payments in the platform API: GET and POST /api/v1/cases/{id}/payments/.

Registered on the API (platforms.api.api) by arrears' AppConfig.ready: arrears sits above the
API in the import layers, so the API never imports the ledger. A token sees the cases of its
one company's chain (platforms.chain.scope_to_company); any other case answers 404."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Router, Schema
from pydantic import Field

from arrears.employer_payments import case_ledger_for_representative, employer_payment_report
from arrears.ledger import CaseLedger
from platforms.api.endpoints import (
    ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    _require_media_type,
    _service_call,
)
from platforms.api.idempotency import fingerprint, run_once
from platforms.api.schemas import NO_CONTROL_CHARACTERS, Amount, Day, Text

router = Router(tags=["payments"])

METHODS = Literal["bank", "platform_wallet", "cash", "other"]


class InstalmentState(Schema):
    id: int
    due_on: date
    amount: Decimal
    paid: Decimal
    state: str = Field(description="due, part_paid, paid, overdue or missed.")


class PaymentRow(Schema):
    id: int
    amount: Decimal
    paid_on: date
    method: str
    source: str = Field(description="employer (reported by you) or staff (by the bureau).")
    status: str = Field(
        description="awaiting (the worker has not confirmed yet), received, not_received (the "
        "worker says it did not come), proof_verified (the bureau checked the proof)."
    )
    instalment_id: int | None


class Payments(Schema):
    case_id: int
    owed: Decimal
    paid: Decimal
    confirmed: Decimal = Field(description="Paid and confirmed by the worker or the bureau.")
    outstanding: Decimal
    instalments: list[InstalmentState]
    payments: list[PaymentRow]


class PaymentIn(Schema):
    amount: Amount
    paid_on: Day = Field(description="The day the money left you; not in the future.")
    method: METHODS
    instalment_id: Annotated[int, Field(ge=1, le=2_147_483_647)] | None = Field(
        None, description="The instalment of the agreement this pays (see GET), if any."
    )
    note: Annotated[
        Text, Field(max_length=200, json_schema_extra={"pattern": NO_CONTROL_CHARACTERS})
    ] = ""


def _payments_out(ledger: CaseLedger) -> dict:
    return {
        "case_id": ledger.case.pk,
        "owed": ledger.owed,
        "paid": ledger.paid,
        "confirmed": ledger.confirmed,
        "outstanding": ledger.outstanding,
        "instalments": [
            {
                "id": row.instalment.pk,
                "due_on": row.due_on,
                "amount": row.amount,
                "paid": row.paid,
                "state": row.state,
            }
            for row in ledger.instalments
        ],
        "payments": [
            {
                "id": p.pk,
                "amount": p.amount,
                "paid_on": p.paid_on,
                "method": p.method,
                "source": p.source,
                "status": p.status,
                "instalment_id": p.instalment_id,
            }
            for p in (row.payment for row in ledger.live_payments)
        ],
    }


@router.get(
    "/cases/{case_id}/payments/",
    response={200: Payments, **ERRORS},
    operation_id="listPayments",
)
def list_payments(request, case_id: int):
    """What is owed and paid on the case, its instalments and the payments (corrections left
    out), with whether the worker confirmed each."""
    ledger = _service_call(
        lambda: case_ledger_for_representative(user=request.user, case_id=case_id)
    )
    return _payments_out(ledger)


@router.post(
    "/cases/{case_id}/payments/",
    response={201: PaymentRow, **WRITE_ERRORS},
    operation_id="reportPayment",
)
def report_payment(request, case_id: int, payload: PaymentIn, idempotency_key: IdempotencyKey):
    """Report a payment you made to the worker. It shows as "reported by the employer" until
    the worker confirms receiving it (or the bureau checks a proof); more than is still owed,
    a future date or a date before the agreement is refused."""
    _require_media_type(request, "application/json")
    data = payload.model_dump(mode="json")

    def work():
        payment = _service_call(
            lambda: employer_payment_report(
                actor=request.user,
                case_id=case_id,
                amount=payload.amount,
                paid_on=payload.paid_on,
                method=payload.method,
                instalment_id=payload.instalment_id,
                note=payload.note,
            )
        )
        return 201, {
            "id": payment.pk,
            "amount": payment.amount,
            "paid_on": payment.paid_on,
            "method": payment.method,
            "source": payment.source,
            "status": payment.status,
            "instalment_id": payment.instalment_id,
        }

    return run_once(
        token=request.api_token,
        key=idempotency_key,
        request_print=fingerprint("payment", case_id, data),
        work=work,
    )
