from django.urls import path

from platforms.responses import views

app_name = "responses"

urlpatterns = [
    path("cases/<id:case_id>/employer/", views.employer_side, name="case"),
    path(
        "cases/<id:case_id>/employer/questions/<id:question_id>/answer/",
        views.answer_question,
        name="answer",
    ),
]
