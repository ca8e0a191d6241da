from django.urls import path

from mediation.views import documents, mediation

app_name = "mediation"

urlpatterns = [
    path("mediation/<str:kind>/<int:pk>/", mediation.mediation_page, name="page"),
    path("mediation/<str:kind>/<int:pk>/schedule/", mediation.schedule_session, name="schedule"),
    path(
        "mediation/<str:kind>/<int:pk>/agreement/",
        mediation.draw_up_agreement,
        name="draw_up_agreement",
    ),
    path("mediation/sessions/<int:session_id>/record/", mediation.record_session, name="record"),
    path("mediation/sessions/<int:session_id>/cancel/", mediation.cancel_session, name="cancel"),
    path("mediation/agreements/<int:agreement_id>/sign/", mediation.sign_agreement, name="sign"),
    path("mediation/agreements/<int:agreement_id>/void/", mediation.void_agreement, name="void"),
    path("documents/<int:document_id>/download/", documents.download, name="download"),
    path("documents/<int:document_id>/status/", documents.status, name="document_status"),
    path("documents/<int:document_id>/retry/", documents.retry, name="retry"),
    path("documents/verify/", documents.verify, name="verify_form"),
    path("documents/verify/<str:code>/", documents.verify, name="verify"),
]
