from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from arrears import employer_payments, ledger_views, views

app_name = "arrears"

urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/<id:company_id>/", views.employer_detail, name="employer_detail"),
    path("employers/export/", views.ledger_export_view, name="ledger_export"),
    path("cases/<id:case_id>/ledger/", ledger_views.case_ledger_page, name="case_ledger"),
    path(
        "cases/<id:case_id>/ledger/verified/",
        ledger_views.verified_amount_view,
        name="verified_amount",
    ),
    path(
        "cases/<id:case_id>/ledger/payments/",
        ledger_views.payment_record_view,
        name="payment_record",
    ),
    path(
        "cases/<id:case_id>/ledger/payments/<id:payment_id>/correct/",
        ledger_views.payment_reverse_view,
        name="payment_reverse",
    ),
    path(
        "cases/<id:case_id>/ledger/payments/<id:payment_id>/proof-checked/",
        ledger_views.payment_verify_view,
        name="payment_verify",
    ),
    path(
        "cases/<id:case_id>/ledger/payments/<id:payment_id>/confirm/",
        ledger_views.payment_confirm_view,
        name="payment_confirm",
    ),
    path(
        "cases/<id:case_id>/ledger/payments/<id:payment_id>/proof/",
        ledger_views.payment_proof_view,
        name="payment_proof",
    ),
    path(
        "cases/<id:case_id>/ledger/payment-orders/",
        ledger_views.payment_order_view,
        name="payment_order",
    ),
    path(
        "cases/<id:case_id>/ledger/payment-orders/<id:order_id>/compensation/",
        ledger_views.compensation_view,
        name="compensation",
    ),
]

# The employer's side, on the platform portal (arrears.employer_payments).
urlpatterns.append(
    path(
        "platform/cases/<id:case_id>/payments/",
        employer_payments.portal_payments,
        name="portal_payments",
    )
)
