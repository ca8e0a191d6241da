"""The upstream API at /api/upstream/v1/: a hotline or clue-platform system posts its work
orders with its token, idempotent on its reference, and reads back what became of them.

An upstream token is not a person and not a platform representative: it is bound to one
channel and one street or park, files there only, in the name of the supervisor who made it
(who must still supervise that unit), and reads only the orders of its own channel."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.security import HttpBearer
from pydantic import Field

from casework.cases.choices import Category
from casework.channels.models import UpstreamOrder, UpstreamToken
from casework.channels.services import WorkOrder, clean_reference, upstream_order_register
from casework.channels.tokens import TOKEN_PREFIX, secret_hash, upstream_token_record_use
from casework.core.errors import ActionRefused
from casework.intake.services import Complaint, PartyInput
from casework.routing.router import NoTeamForJurisdiction
from platforms.api.api import AnxinApi, ReadableJSONRenderer
from platforms.api.api import api as platform_api
from platforms.api.errors import ApiError
from platforms.api.ratelimit import check_rate
from platforms.api.schemas import Amount, Day, Error, Text
from platforms.choices import CompanyKind
from platforms.models import Company


def _refuse(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="anxin"'})


class UpstreamTokenAuth(HttpBearer):
    def __call__(self, request):
        if not request.headers.get("Authorization", ""):
            raise _refuse("unauthenticated", _("Send your token: Authorization: Bearer …"))
        return super().__call__(request)

    def authenticate(self, request, token: str):
        secret = token or ""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
            raise _refuse("token_invalid", _("This token is not valid."))
        row = (
            UpstreamToken.objects.select_related("unit", "created_by")
            .filter(token_hash=secret_hash(secret))
            .first()
        )
        if row is None or not row.created_by.is_active:
            raise _refuse("token_invalid", _("This token is not valid."))
        if row.revoked_at is not None or row.expires_at <= timezone.now():
            raise _refuse("token_revoked", _("This token was revoked or has expired."))
        check_rate(token_id=f"upstream-{row.pk}", method=request.method)
        upstream_token_record_use(row)
        request.upstream_token = row
        return row


upstream_api = AnxinApi(
    title="Anxin upstream work orders API",
    version="1.0.0",
    description=(
        "For the 12345/12333 hotlines, the national wage-arrears clue platform and the "
        "provincial app: post a work order (idempotent on its reference: posting it again "
        "answers the case it became), read what became of it and the reply. Authenticate with "
        "a token from the bureau (Authorization: Bearer anxup_…)."
    ),
    urls_namespace="api-upstream",
    auth=UpstreamTokenAuth(),
    renderer=ReadableJSONRenderer(),
    docs_url=None,
)
# The same JSON errors as the platform API (refusals, validation, 404, 500).
for exception_class, handler in platform_api._exception_handlers.items():
    upstream_api.add_exception_handler(exception_class, handler)


class WorkOrderIn(Schema):
    reference: Text = Field(min_length=1, max_length=64)
    received_on: Day
    worker_name: Text = Field(min_length=1, max_length=100)
    worker_mobile: Text = Field(min_length=1, max_length=20)
    worker_id_number: Text = Field("", max_length=18)
    employer: Text = Field(min_length=1, max_length=200)
    period_start: Day
    period_end: Day
    amount: Amount | None = None
    content: Text = Field(min_length=10, max_length=5000)
    due_on: Day | None = None


class WorkOrderOut(Schema):
    reference: str
    case_reference: str
    created: bool
    due_on: date
    status: str
    reply_status: str
    reply: str


def _out(order: UpstreamOrder, *, created: bool) -> dict:
    return {
        "reference": order.reference,
        "case_reference": order.case.reference,
        "created": created,
        "due_on": order.due_on,
        "status": str(order.case.state_label),
        "reply_status": order.reply_status,
        "reply": order.reply_text if order.reply_status == "sent" else "",
    }


def _parties(name: str) -> list[PartyInput]:
    company = (Company.objects.filter(name=name) | Company.objects.filter(short_name=name)).first()
    if company is None:
        return [PartyInput(kind=CompanyKind.PLATFORM, name=name)]
    return [PartyInput(kind=company.kind, company=company)]


@upstream_api.post(
    "/work-orders",
    response={200: WorkOrderOut, 201: WorkOrderOut, 401: Error, 422: Error, 429: Error},
    url_name="work_orders",
)
def post_work_order(request, payload: WorkOrderIn):
    """File a work order in the token's street or park. Posting the same reference again
    creates nothing and answers 200 with the case it became."""
    token: UpstreamToken = request.upstream_token
    order = WorkOrder(
        channel=token.channel,
        reference=payload.reference,
        received_on=payload.received_on,
        due_on=payload.due_on,
        worker_mobile=payload.worker_mobile,
        worker_name=payload.worker_name,
        text=payload.content,
        complaint=Complaint(
            category=Category.PAY_ARREARS,
            description=payload.content,
            jurisdiction=token.unit,
            period_start=payload.period_start,
            period_end=payload.period_end,
            parties=_parties(payload.employer.strip()),
            amount_claimed=payload.amount or Decimal("0.00"),
            worker_name=payload.worker_name,
            worker_id_number=payload.worker_id_number.strip().upper(),
        ),
    )
    try:
        _case, created = upstream_order_register(actor=token.created_by, order=order)
    except ValidationError as refusal:  # the phone number, from the worker's account
        raise ApiError(422, "invalid", refusal.messages[0]) from None
    except NoTeamForJurisdiction as refusal:
        raise ApiError(422, "invalid", str(refusal)) from None
    row = UpstreamOrder.objects.select_related("case").get(
        channel=token.channel, reference=order.reference
    )
    return Status(201 if created else 200, _out(row, created=created))


@upstream_api.get(
    "/work-orders/{reference}",
    response={200: WorkOrderOut, 401: Error, 404: Error, 429: Error},
    url_name="work_order",
)
def get_work_order(request, reference: str):
    """What became of a work order of the token's channel, and the reply once sent."""
    token: UpstreamToken = request.upstream_token
    try:
        reference = clean_reference(reference)
    except ActionRefused:
        raise ApiError(404, "not_found", _("There is no such work order.")) from None
    row = (
        UpstreamOrder.objects.select_related("case")
        .filter(channel=token.channel, reference=reference, case__jurisdiction=token.unit)
        .first()
    )
    if row is None:
        raise ApiError(404, "not_found", _("There is no such work order."))
    return Status(200, _out(row, created=False))
