from django.urls import path

from platforms.portal import views

app_name = "portal"

urlpatterns = [
    path("platform/", views.portal_home, name="home"),
    path("platform/cases/<id:case_id>/", views.portal_case, name="case"),
    path("platform/cases/<id:case_id>/respond/", views.portal_respond, name="respond"),
    path("platform/cases/<id:case_id>/files/", views.portal_add_evidence, name="add_evidence"),
    path("platform/cases/<id:case_id>/questions/", views.portal_ask, name="ask"),
    path(
        "platform/cases/<id:case_id>/evidence/<id:evidence_id>/",
        views.portal_evidence,
        name="evidence",
    ),
]
