from django.urls import path

import casework.core.converters  # noqa: F401  (registers <id:...>)
from platforms.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("platform/webhooks/", views.endpoint_list, name="list"),
    path("platform/webhooks/<id:endpoint_id>/", views.endpoint_detail, name="detail"),
    path("platform/webhooks/<id:endpoint_id>/rotate/", views.endpoint_rotate, name="rotate"),
    path("platform/webhooks/<id:endpoint_id>/active/", views.endpoint_active, name="active"),
    path("platform/webhooks/<id:endpoint_id>/delete/", views.endpoint_delete, name="delete"),
    path("platform/webhooks/<id:endpoint_id>/ping/", views.endpoint_ping, name="ping"),
    path(
        "platform/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/replay/",
        views.delivery_replay,
        name="replay",
    ),
]
