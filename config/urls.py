from django.contrib import admin
from django.urls import include, path

from config.favicon import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Upstream systems post work orders at /api/upstream/v1/ (before the API's catch-all).
    path("", include("casework.channels.api_urls")),
    # The platform API (/api/v1/, JSON only) and the portal's pages for its tokens.
    path("", include("platforms.api.urls")),
    path("", include("platforms.api.portal_urls")),
    path("", include("mediation.urls")),
    path("", include("mediation.contracts.urls")),
    path("", include("arrears.urls")),
    path("", include("platforms.figures.urls")),
    path("", include("platforms.registry.urls")),
    path("", include("platforms.portal.urls")),
    path("", include("platforms.responses.urls")),
    path("", include("platforms.webhooks.urls")),
    path("", include("casework.channels.urls")),
    path("", include("casework.governance.urls")),
    path("", include("platforms.risk.urls")),
    path("", include("casework.urls")),
]

# A database that does not answer gets a plain 503 page, anything else the plain 500 page.
handler500 = "config.errors.server_error"
