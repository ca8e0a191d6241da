"""Response headers Django has no setting for."""

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Permissions-Policy on every response: the browser features no page may use."""

    def process_response(self, request, response):
        if settings.ANXIN_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.ANXIN_PERMISSIONS_POLICY)
        return response
