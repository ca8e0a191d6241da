from django.urls import path, re_path

from casework.core.uploads import accepts_uploads
from platforms.api import views
from platforms.api.api import api

api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    if pattern.name == "add_evidence":
        # Its body may be as large as the evidence limit allows (config/edge.py reads this).
        accepts_uploads()(pattern.callback)

urlpatterns = [
    path("api/v1/", (api_patterns, api_app_name, api_namespace)),
    # Anything else under /api/ answers a JSON 404, not the site's page.
    re_path(r"^api/", views.api_not_found),
]
