from django.urls import path

from casework.views import pages, signin

app_name = "casework"

urlpatterns = [
    path("", pages.landing, name="landing"),
    path("home/", pages.home, name="home"),
    path("language/", pages.set_language, name="set_language"),
    path("sign-in/", signin.worker_sign_in, name="worker_sign_in"),
    path("sign-in/code/", signin.worker_sign_in_code, name="worker_sign_in_code"),
    path("staff/sign-in/", signin.staff_sign_in_view, name="staff_sign_in"),
    path("sign-out/", signin.sign_out, name="sign_out"),
]
