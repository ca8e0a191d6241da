from django.urls import path

from casework.governance import views

app_name = "governance"

urlpatterns = [
    path("governance/", views.home, name="home"),
    path("governance/screenings/", views.screening_list, name="screenings"),
    path("governance/screenings/new/", views.screening_new, name="screening_new"),
    path(
        "governance/screenings/<id:screening_id>/",
        views.screening_detail,
        name="screening_detail",
    ),
    path("governance/campaigns/", views.campaign_list, name="campaigns"),
    path("governance/campaigns/<id:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("governance/outreach/", views.outreach, name="outreach"),
    path("governance/round-tables/", views.round_table_list, name="round_tables"),
    path(
        "governance/round-tables/<id:round_table_id>/",
        views.round_table_detail,
        name="round_table_detail",
    ),
    path(
        "governance/commitments/<id:commitment_id>/kept/",
        views.commitment_kept,
        name="commitment_kept",
    ),
]
