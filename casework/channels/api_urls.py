from django.urls import path

from casework.channels.api import upstream_api

upstream_patterns, upstream_app_name, upstream_namespace = upstream_api.urls

urlpatterns = [
    path("api/upstream/v1/", (upstream_patterns, upstream_app_name, upstream_namespace)),
]
