from django.urls import path

from platforms.registry import views

app_name = "platforms"

urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_edit, name="company_new"),
    path("companies/<id:company_id>/", views.company_detail, name="company_detail"),
    path("companies/<id:company_id>/edit/", views.company_edit, name="company_edit"),
    path(
        "invitations/<id:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("platform/join/<slug:token>/", views.invitation_accept, name="invitation_accept"),
]
