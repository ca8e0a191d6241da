"""The platform API at /api/v1/: django-ninja, bearer tokens, JSON errors everywhere."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from casework.core.errors import ActionRefused, NotFound
from platforms.api.auth import TokenAuth
from platforms.api.errors import (
    ApiError,
    error_response,
    refusal_error,
    status_error,
    validation_error,
)
from platforms.api.openapi import finish_openapi

logger = logging.getLogger(__name__)

DESCRIPTION = (
    "Complaints that name your company (or a company below it), masked as on the portal; "
    "their public timeline; your response and evidence. Authenticate with a token made on "
    "the portal (Authorization: Bearer anx_…). Every POST takes an Idempotency-Key. Errors: "
    '{"error": {"code", "message", "fields"}}, messages in the language of Accept-Language.'
)


class ReadableJSONRenderer(JSONRenderer):
    # Chinese as characters, not \u escapes: half the size, and readable in a terminal.
    json_dumps_params = {"ensure_ascii": False}


class AnxinApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return finish_openapi(schema)


api = AnxinApi(
    title="Anxin platform API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    renderer=ReadableJSONRenderer(),
    # Swagger UI from django-ninja's own static files (no CDN: the CSP allows only 'self'), and
    # no validator badge (it would call swagger.io).
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


def _media_type(request) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


def _wrong_media_type(request, sources: set[str]) -> bool:
    media = _media_type(request)
    sent = request.META.get("CONTENT_LENGTH") not in (None, "", "0")
    if "body" in sources and media != "application/json" and sent:
        return True
    return bool(sources & {"form", "file"}) and media != "multipart/form-data"


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc)


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    sources = {str(error.get("loc", ("",))[0]) for error in exc.errors}
    if _wrong_media_type(request, sources):
        return error_response(
            ApiError(415, "unsupported_media_type", _unsupported_message(sources))
        )
    return error_response(validation_error(exc.errors))


def _unsupported_message(sources: set[str]) -> str:
    if sources & {"form", "file"}:
        return _("Send the files as multipart/form-data.")
    return _("Send the body as JSON, with Content-Type: application/json.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(
        ApiError(
            401,
            "unauthenticated",
            _("Send your API token: Authorization: Bearer …"),
            headers={"WWW-Authenticate": 'Bearer realm="anxin"'},
        )
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400 and _wrong_media_type(request, {"body"}):
        return error_response(ApiError(415, "unsupported_media_type", _unsupported_message(set())))
    if exc.status_code == 400:
        return error_response(ApiError(400, "invalid_json", _("The body is not valid JSON.")))
    return error_response(status_error(exc.status_code))


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(
        ApiError(404, "not_found", _("There is no such case, or it is not yours to see."))
    )


@api.exception_handler(ActionRefused)
def _refused(request, exc: ActionRefused):
    return error_response(refusal_error(exc))


@api.exception_handler(Exception)
def _server_error(request, exc):
    if isinstance(exc, RequestDataTooBig):
        return error_response(status_error(413))
    if isinstance(exc, RawPostDataException):
        # A form or multipart body sent where JSON is expected: Django has parsed it already.
        return error_response(ApiError(415, "unsupported_media_type", _unsupported_message(set())))
    logger.exception("API request failed: %s %s", request.method, request.path)
    return error_response(status_error(500))


api.add_router("/", "platforms.api.endpoints.router")
