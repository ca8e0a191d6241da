from django.urls import path

from platforms.figures import views

app_name = "figures"

urlpatterns = [
    path("companies/responses/", views.registry_companies, name="registry_companies"),
    path("companies/responses/csv/", views.registry_companies_csv, name="registry_companies_csv"),
    path("companies/<id:company_id>/responses/", views.registry_months, name="registry_months"),
    path(
        "companies/<id:company_id>/responses/csv/",
        views.registry_months_csv,
        name="registry_months_csv",
    ),
    path(
        "companies/<id:company_id>/responses/cases/",
        views.registry_cases,
        name="registry_cases",
    ),
    path("platform/figures/", views.portal_companies, name="portal_companies"),
    path("platform/figures/csv/", views.portal_companies_csv, name="portal_companies_csv"),
    path("platform/figures/<id:company_id>/", views.portal_months, name="portal_months"),
    path(
        "platform/figures/<id:company_id>/csv/",
        views.portal_months_csv,
        name="portal_months_csv",
    ),
    path("platform/figures/<id:company_id>/cases/", views.portal_cases, name="portal_cases"),
]
