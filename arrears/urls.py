from django.urls import path

from arrears import views

app_name = "arrears"

urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/<int:company_id>/", views.employer_detail, name="employer_detail"),
]
