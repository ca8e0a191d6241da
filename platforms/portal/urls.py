from django.urls import path

from platforms.portal import views

app_name = "portal"

urlpatterns = [
    path("platform/", views.portal_home, name="home"),
    path("platform/cases/<id:case_id>/", views.portal_case, name="case"),
    path(
        "platform/cases/<id:case_id>/evidence/<id:evidence_id>/",
        views.portal_evidence,
        name="evidence",
    ),
]
