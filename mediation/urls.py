from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from mediation.views import documents, mediation

app_name = "mediation"

urlpatterns = [
    path("mediation/<str:kind>/<id:pk>/", mediation.mediation_page, name="page"),
    path("mediation/<str:kind>/<id:pk>/schedule/", mediation.schedule_session, name="schedule"),
    path(
        "mediation/<str:kind>/<id:pk>/agreement/",
        mediation.draw_up_agreement,
        name="draw_up_agreement",
    ),
    path("mediation/sessions/<id:session_id>/record/", mediation.record_session, name="record"),
    path("mediation/sessions/<id:session_id>/cancel/", mediation.cancel_session, name="cancel"),
    path("mediation/agreements/<id:agreement_id>/sign/", mediation.sign_agreement, name="sign"),
    path("mediation/agreements/<id:agreement_id>/void/", mediation.void_agreement, name="void"),
    path("documents/<id:document_id>/download/", documents.download, name="download"),
    path(
        "mediation/signatures/<id:signature_id>/scan/",
        documents.signature_scan,
        name="signature_scan",
    ),
    path("documents/<id:document_id>/status/", documents.status, name="document_status"),
    path("documents/<id:document_id>/retry/", documents.retry, name="retry"),
    path("documents/verify/", documents.verify, name="verify_form"),
    path("documents/verify/<str:code>/", documents.verify, name="verify"),
]
