"""Every error of the API, as `{"error": {"code", "message", "fields"}}`: a stable code for
programs, a message in the reader's language (Accept-Language; Chinese by default) for people.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The code and words of an error that says no more than its status (Django's 404 under /api/,
# a method the address does not take, a 500).
STATUS_ERRORS = {
    400: ("bad_request", gettext_lazy("The request could not be read.")),
    401: ("unauthenticated", gettext_lazy("Send a valid API token: Authorization: Bearer …")),
    403: ("forbidden", gettext_lazy("You may not do this.")),
    404: ("not_found", gettext_lazy("There is nothing here, or it is not yours to see.")),
    405: ("method_not_allowed", gettext_lazy("This address does not take this method.")),
    409: ("conflict", gettext_lazy("This conflicts with the case as it is now.")),
    413: ("too_large", gettext_lazy("What you sent is too large.")),
    415: ("unsupported_media_type", gettext_lazy("This address does not take this content type.")),
    422: ("invalid", gettext_lazy("Some values are not valid.")),
    429: ("rate_limited", gettext_lazy("Too many requests. Please wait a moment.")),
    500: (
        "server_error",
        gettext_lazy(
            "Something went wrong on our side. Please try again; if it keeps happening, "
            "tell the labour bureau."
        ),
    ),
    503: (
        "unavailable",
        gettext_lazy("The service is unavailable right now. Please try again in a few minutes."),
    ),
}


class ApiError(Exception):
    """An answer other than success: raised anywhere in the API, rendered by one handler."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, str(message)
        self.fields = fields or {}
        self.headers = headers or {}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(error: ApiError) -> JsonResponse:
    response = JsonResponse(
        error_body(error.code, error.message, error.fields),
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in error.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def status_error(status: int, *, message: str | None = None) -> ApiError:
    fallback = 500 if status >= 500 else 400
    code, words = STATUS_ERRORS.get(status, STATUS_ERRORS[fallback])
    return ApiError(status, code, message or str(words))


def refusal_error(refusal) -> ApiError:
    """A service's refusal: a value it will not take (422, naming the field), or the case as it
    is now (409: changed by someone else, or no longer awaiting this)."""
    from casework.core.errors import CaseChanged

    if isinstance(refusal, CaseChanged):
        return ApiError(409, "case_changed", refusal.message)
    if refusal.field:
        return ApiError(422, "refused", refusal.message, fields={refusal.field: refusal.message})
    return ApiError(409, "refused", refusal.message)


# Pydantic's error types, in the reader's words (pydantic's own messages are English only).
def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "value_error":
        # Our own validators raise ValueError with a translated message.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    if kind in {"string_too_long", "too_long"}:
        return _("Ensure this has at most %(limit)s characters or items.") % {
            "limit": ctx.get("max_length", "")
        }
    if kind in {"string_too_short", "too_short"}:
        return _("Ensure this has at least %(limit)s characters or items.") % {
            "limit": ctx.get("min_length", "")
        }
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        return _("Enter a value within the allowed range.")
    if kind.startswith("decimal") or kind in {"float_parsing", "float_type"}:
        return _("Enter an amount in yuan with at most two decimal places, e.g. 1200.50.")
    if kind.startswith("date_") or kind == "date_type":
        return _("Enter a date as YYYY-MM-DD, e.g. 2026-12-31.")
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return _("Enter a date and time as ISO 8601, e.g. 2026-12-07T10:00:00+08:00.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"list_type", "model_type", "dict_type", "model_attributes_type"}:
        return _("This value has the wrong shape.")
    if kind.startswith("string") or kind == "string_type":
        return _("Enter text.")
    return _("This value is not valid.")


def _field_name(loc) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "form", "file"} and len(parts) > 2:
        parts = parts[2:]  # ("body", <parameter>, field, …): the parameter name says nothing
    elif parts and parts[0] in {"query", "path", "header", "cookie", "body", "form", "file"}:
        parts = parts[1:]
    return ".".join(parts)


def validation_error(errors: list[dict]) -> ApiError:
    fields: dict[str, str] = {}
    for error in errors:
        name = _field_name(error.get("loc", ())) or "body"
        fields.setdefault(name, _validation_message(error))
    return ApiError(422, "invalid", _("Some values are not valid."), fields=fields)
