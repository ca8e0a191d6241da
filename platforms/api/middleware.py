"""Under /api/ no error is an HTML page: what Django or another middleware answered with a
page (an unknown address, a 500, a refused NUL) is turned into the API's JSON error."""

from django.http import JsonResponse
from django.utils import translation

from platforms.api.errors import error_body, status_error

API_PREFIX = "/api/"


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # HEAD is answered wherever GET is (monitors and link checkers send it); django-ninja
        # routes GET only, so the API answers it as GET without the body.
        head = request.method == "HEAD" and request.path.startswith(API_PREFIX)
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            response.content = b""
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or _is_json(response)
        ):
            return response
        with translation.override(translation.get_language_from_request(request)):
            error = status_error(response.status_code)
            body = error_body(error.code, error.message)
        answer = JsonResponse(
            body, status=response.status_code, json_dumps_params={"ensure_ascii": False}
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        answer["Cache-Control"] = "no-store"
        return answer
