from django.urls import path

import casework.core.converters  # noqa: F401  (the `id` converter)
from platforms.api import views

app_name = "api_tokens"

urlpatterns = [
    path("platform/tokens/", views.token_list, name="list"),
    path("platform/tokens/<id:token_id>/revoke/", views.token_revoke, name="revoke"),
]
