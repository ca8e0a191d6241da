from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from arrears import views

app_name = "arrears"

urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/<id:company_id>/", views.employer_detail, name="employer_detail"),
]
