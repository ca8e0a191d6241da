from django.urls import path

from platforms.risk import views

app_name = "risk"

urlpatterns = [
    path("risk/", views.risk_list, name="list"),
    path("risk/companies/<id:company_id>/", views.company_risk, name="company"),
]
