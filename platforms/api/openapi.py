"""What django-ninja's OpenAPI document lacks: the links between list, read and respond (so
that clients and schemathesis can follow them) and the error envelope on every operation."""

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_STATUSES = {
    "400": "The request could not be read (e.g. a bad cursor).",
    "401": "No token, or an invalid, revoked or expired one.",
    "404": "No such case, or not one that names your company.",
    "405": "This address does not take this method.",
    "429": "Too many requests: wait for Retry-After seconds.",
    "500": "Our fault: try again later.",
}
WRITE_STATUSES = {
    "409": "The case changed, or a request with this Idempotency-Key is still in progress.",
    "413": "Too large.",
    "415": "Wrong Content-Type.",
    "422": "Invalid values, a refusal naming the field, or a reused Idempotency-Key.",
}
READ_STATUSES = {"422": "Invalid query parameters."}
CASE_ID = {"case_id": "$response.body#/id"}
LINKS = {
    "listCases": {
        "GetCase": {
            "operationId": "getCase",
            "parameters": {"case_id": "$response.body#/items/0/id"},
            "description": "The first case of the page.",
        }
    },
    "getCase": {
        "GetTimeline": {"operationId": "getCaseTimeline", "parameters": CASE_ID},
        "SubmitResponse": {"operationId": "submitResponse", "parameters": CASE_ID},
        "AddEvidence": {"operationId": "addEvidence", "parameters": CASE_ID},
    },
}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def finish_openapi(schema: dict) -> dict:
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            # django-ninja keys responses by int; JSON (and OpenAPI) by string.
            responses = {str(code): value for code, value in operation.get("responses", {}).items()}
            operation["responses"] = responses
            extra = WRITE_STATUSES if method == "post" else READ_STATUSES
            for status, description in {**ERROR_STATUSES, **extra}.items():
                responses.setdefault(status, _error_response(description))
            links = LINKS.get(operation.get("operationId", ""))
            if links:
                ok = next(code for code in ("200", "201") if code in responses)
                responses[ok]["links"] = links
    return schema
