from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from casework.channels import token_views, views

app_name = "channels"

urlpatterns = [
    path("work/upstream/", views.orders, name="orders"),
    path("work/upstream/new/", views.register, name="register"),
    path("work/upstream/import/", views.import_upload, name="import"),
    path("work/upstream/import/<id:import_id>/", views.import_preview_view, name="import_preview"),
    path("work/upstream/orders/<id:order_id>/reply/", views.reply, name="reply"),
    path("work/upstream/replies.<slug:fmt>", views.replies_file, name="replies_file"),
    path("work/upstream/tokens/", token_views.tokens, name="tokens"),
    path(
        "work/upstream/tokens/<id:token_id>/revoke/", token_views.token_revoke, name="token_revoke"
    ),
    path("cases/<id:case_id>/upstream/", views.case_panel, name="case_orders"),
]
