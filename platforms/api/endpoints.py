"""The API's operations: read cases (list, one, timeline), answer (response, evidence)."""

from datetime import datetime
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import AfterValidator, Field, WithJsonSchema

from casework.core.errors import ActionRefused, NotFound
from casework.core.replica import replica_reads
from casework.core.uploads import check_evidence_file
from platforms.api import selectors
from platforms.api.errors import ApiError, refusal_error
from platforms.api.idempotency import fingerprint, run_once
from platforms.api.schemas import (
    QUEUES,
    STATES,
    YEARS_2000_TO_2100,
    CaseDetail,
    CasePage,
    Error,
    EvidenceOut,
    ResponseIn,
    ResponseOut,
    Timeline,
)
from platforms.responses.services import employer_evidence_add, response_submit

router = Router(tags=["cases"])
ERRORS = {400: Error, 401: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS = {**ERRORS, 409: Error, 413: Error, 415: Error}
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description="Your unique id of this request (e.g. a UUID): a replay returns the first "
        "answer and does nothing again.",
    ),
]


def _moment_in_bounds(value: datetime) -> datetime:
    # By the year as written: the document's pattern says so, whatever the offset.
    if not 2000 <= value.year <= 2100:
        raise ValueError(_("Enter a moment between the years 2000 and 2100."))
    return value


class CaseFilters(Schema):
    queue: QUEUES | None = Field(
        None,
        description="awaiting (our response; the default without `state`), overdue, answered, all.",
    )
    state: STATES | None = Field(None, description="Only cases in this state.")
    updated_since: (
        Annotated[
            datetime,
            AfterValidator(_moment_in_bounds),
            WithJsonSchema(
                {"type": "string", "format": "date-time", "pattern": YEARS_2000_TO_2100}
            ),
        ]
        | None
    ) = Field(None, description="Only cases changed at or after this moment (ISO 8601).")
    cursor: str | None = Field(
        None, max_length=500, pattern=r"^[A-Za-z0-9_.:-]+$", description="`next_cursor` of a page."
    )
    limit: int = Field(50, ge=1, le=100, description="Cases per page (default 50, at most 100).")


@router.get("/cases/", response={200: CasePage, **ERRORS}, operation_id="listCases")
@replica_reads
def list_cases(request, filters: Query[CaseFilters]):
    """Cases that name your company or one below it: those awaiting your response by default,
    newest first. Follow `next_cursor` for the next page."""
    queue = filters.queue or ("all" if filters.state else "awaiting")
    return selectors.api_case_page(
        user=request.user,
        queue=queue,
        state=filters.state,
        updated_since=filters.updated_since,
        cursor=filters.cursor,
        limit=min(filters.limit, settings.ANXIN_API_MAX_PAGE_SIZE),
    )


@router.get("/cases/{case_id}/", response={200: CaseDetail, **ERRORS}, operation_id="getCase")
def get_case(request, case_id: int):
    """One case: the worker masked (张*, 138****8000), the files they agreed to share."""
    return selectors.api_case_get(user=request.user, case_id=case_id)


@router.get(
    "/cases/{case_id}/timeline/",
    response={200: Timeline, **ERRORS},
    operation_id="getCaseTimeline",
)
def get_case_timeline(request, case_id: int):
    """What has happened to the case, as the worker and you may read it."""
    return selectors.api_case_timeline(user=request.user, case_id=case_id)


def _require_media_type(request, expected: str) -> None:
    if (request.content_type or "").split(";")[0].strip().lower() != expected:
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the body as JSON, with Content-Type: application/json.")
            if expected == "application/json"
            else _("Send the files as multipart/form-data."),
        )


def _service_call(call):
    """Run a service; its NotFound and refusals become the API's errors (kept for replays)."""
    try:
        return call()
    except NotFound as exc:
        raise ApiError(
            404, "not_found", _("There is no such case, or it is not yours to see.")
        ) from exc
    except ActionRefused as refusal:
        raise refusal_error(refusal) from refusal


@router.post(
    "/cases/{case_id}/responses/",
    response={201: ResponseOut, **WRITE_ERRORS},
    operation_id="submitResponse",
)
def submit_response(request, case_id: int, payload: ResponseIn, idempotency_key: IdempotencyKey):
    """Answer the complaint: accept (amount and payment date), dispute (reasons) or propose a
    payment plan (two instalments or more). A late answer is taken and marked late."""
    _require_media_type(request, "application/json")
    data = payload.model_dump(mode="json")

    def work():
        response = _service_call(
            lambda: response_submit(
                actor=request.user,
                case_id=case_id,
                kind=payload.kind,
                amount=payload.amount,
                pay_by=payload.pay_by,
                reasons=payload.reasons,
                instalments=[(item.due_on, item.amount) for item in payload.instalments],
                channel="api",
            )
        )
        return 201, selectors.api_response_out(response)

    return run_once(
        token=request.api_token,
        key=idempotency_key,
        request_print=fingerprint("response", case_id, data),
        work=work,
    )


def _checked_files(files: list[UploadedFile]) -> list:
    if len(files) > settings.ANXIN_EVIDENCE_MAX_FILES:
        raise ApiError(
            422,
            "too_many_files",
            _("Send at most %(limit)d files at once.")
            % {"limit": settings.ANXIN_EVIDENCE_MAX_FILES},
            fields={"files": _("Too many files.")},
        )
    checked, problems = [], []
    for upload in files:
        try:
            checked.append(check_evidence_file(upload))
        except DjangoValidationError as error:
            problems.append(error)
    if problems:
        codes = {problem.code for problem in problems}
        message = " ".join(message for problem in problems for message in problem.messages)
        status, code = (
            (413, "file_too_large")
            if "too_large" in codes
            else (415, "unsupported_file_type")
            if "bad_type" in codes
            else (422, "invalid_file")
        )
        raise ApiError(status, code, message, fields={"files": message})
    return checked


@router.post(
    "/cases/{case_id}/evidence/",
    response={201: EvidenceOut, **WRITE_ERRORS},
    operation_id="addEvidence",
)
def add_evidence(
    request,
    case_id: int,
    idempotency_key: IdempotencyKey,
    files: Annotated[
        list[UploadedFile],
        File(
            min_length=1,
            max_length=settings.ANXIN_EVIDENCE_MAX_FILES,
            description="Photos (JPEG, PNG, GIF, WebP, HEIC) or PDF files.",
        ),
    ],
):
    """Add files to the case (photos or PDF, each checked by its content)."""
    _require_media_type(request, "multipart/form-data")
    checked = _checked_files(files)
    request_print = fingerprint(
        "evidence", case_id, [(item.original_name, item.sha256) for item in checked]
    )

    def work():
        added = _service_call(
            lambda: employer_evidence_add(actor=request.user, case_id=case_id, files=checked)
        )
        return 201, selectors.api_evidence_out(case_id, added)

    return run_once(
        token=request.api_token, key=idempotency_key, request_print=request_print, work=work
    )
