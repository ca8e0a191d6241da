"""The ledger of a case: its page (staff record and correct; the worker confirms), the
forms that post to the ledger's services, and the proof files."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from arrears.forms import (
    CompensationForm,
    ConfirmForm,
    PaymentForm,
    PaymentOrderForm,
    ReverseForm,
    VerifiedAmountForm,
)
from arrears.ledger import (
    case_ledger_for_user,
    ledger_case_for_user,
    payment_proof_for_user,
)
from arrears.services import (
    payment_confirm,
    payment_record,
    payment_reverse,
    payment_verify_proof,
    verified_amount_set,
)
from arrears.services.enforcement import payment_order_compensate, payment_order_issue
from casework.core.actions import perform
from casework.core.errors import CaseNotFound
from casework.core.uploads import accepts_uploads, private_file_response, request_too_large
from casework.privacy.services import payment_proof_download_record


def _ledger(request, case_id):
    try:
        return case_ledger_for_user(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc


def _page(request, ledger, *, verified_form=None, payment_form=None, status=200):
    context = {"ledger": ledger, "case": ledger.case}
    if ledger.can_verify:
        context["verified_form"] = verified_form or VerifiedAmountForm(
            evidence=ledger.evidence,
            initial={
                "period_start": ledger.case.period_start,
                "period_end": ledger.case.period_end,
            },
        )
    if ledger.can_issue_order:
        context["order_form"] = PaymentOrderForm()
    if ledger.can_record:
        context["payment_form"] = payment_form or PaymentForm(instalments=ledger.instalments)
    return render(request, "arrears/case_ledger.html", context, status=status)


def _visible(request, case_id) -> None:
    try:
        ledger_case_for_user(user=request.user, case_id=case_id)
    except CaseNotFound as exc:
        raise Http404 from exc


def _back(case_id, anchor="ledger"):
    return HttpResponseRedirect(reverse("arrears:case_ledger", args=[case_id]) + f"#{anchor}")


@login_required
@require_safe
def case_ledger_page(request, case_id: int):
    return _page(request, _ledger(request, case_id))


@login_required
@require_POST
def verified_amount_view(request, case_id: int):
    ledger = _ledger(request, case_id)
    form = VerifiedAmountForm(request.POST, evidence=ledger.evidence)
    if form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: verified_amount_set(
                actor=request.user,
                case_id=case_id,
                amount=data["amount"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                orders=data["orders"],
                deductions=data["deductions"],
                evidence_ids=data["evidence"],
                reason=data["reason"],
            ),
            done=_("The verified amount is saved."),
            form=form,
        )
        if done:
            return _back(case_id)
    # Refused: nothing changed, so the ledger read above is still the ledger.
    return _page(request, ledger, verified_form=form, status=400)


@login_required
@require_POST
@accepts_uploads("ANXIN_MAX_REQUEST_BYTES")
def payment_record_view(request, case_id: int):
    # Nothing is read before the service: it reads the case under its lock (a case out of
    # scope is a 404 there) and checks that the instalment is one of the case's. The ledger
    # is read only when the payment is refused and the page is shown with the form's errors.
    if request_too_large(request):
        _visible(request, case_id)
        messages.error(request, _("The file is too large; nothing was recorded."))
        return _back(case_id)
    form = PaymentForm(request.POST, request.FILES, instalments=None)
    if form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: payment_record(
                actor=request.user,
                case_id=case_id,
                amount=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                proof=data["proof"],
                instalment_id=data["instalment"],
                source=data["source"],
                note=data["note"],
            ),
            done=_("The payment is recorded; the worker is asked to confirm it."),
            form=form,
        )
        if done:
            return _back(case_id)
    ledger = _ledger(request, case_id)
    return _page(request, ledger, payment_form=_with_choices(form, ledger), status=400)


def _with_choices(form: PaymentForm, ledger) -> PaymentForm:
    """The refused form again, offering the case's instalments, with the errors it had."""
    shown = PaymentForm(form.data, form.files, instalments=ledger.instalments)
    shown.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            if error not in shown.errors.get(field, ()):
                shown.add_error(None if field == NON_FIELD_ERRORS else field, error)
    return shown


@login_required
@require_POST
def payment_reverse_view(request, case_id: int, payment_id: int):
    _visible(request, case_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this payment is corrected; nothing was changed."))
        return _back(case_id)
    perform(
        request,
        lambda: payment_reverse(
            actor=request.user,
            case_id=case_id,
            payment_id=payment_id,
            reason=form.cleaned_data["reason"],
        ),
        done=_("The payment is corrected."),
    )
    return _back(case_id)


@login_required
@require_POST
def payment_verify_view(request, case_id: int, payment_id: int):
    _visible(request, case_id)
    perform(
        request,
        lambda: payment_verify_proof(actor=request.user, case_id=case_id, payment_id=payment_id),
        done=_("The proof is checked: the payment counts as recovered."),
    )
    return _back(case_id)


@login_required
@require_POST
def payment_confirm_view(request, case_id: int, payment_id: int):
    """The worker's answer, from their case page (or the ledger page)."""
    _visible(request, case_id)
    form = ConfirmForm(request.POST)
    back = HttpResponseRedirect(reverse("casework:case_detail", args=[case_id]) + "#ledger")
    if not form.is_valid():
        messages.error(request, _("Say whether you received the money; nothing was changed."))
        return back
    received = form.cleaned_data["received"]
    perform(
        request,
        lambda: payment_confirm(
            actor=request.user,
            case_id=case_id,
            payment_id=payment_id,
            received=received,
            note=form.cleaned_data["note"],
        ),
        done=_("Thank you: you said you received it.")
        if received
        else _("Thank you: we have told the coordinator that the money did not come."),
    )
    return back


@login_required
@require_safe
def payment_proof_view(request, case_id: int, payment_id: int):
    try:
        payment = payment_proof_for_user(user=request.user, case_id=case_id, payment_id=payment_id)
    except CaseNotFound as exc:
        raise Http404 from exc
    if payment.case.worker_id != request.user.pk:
        # Someone else's personal data, as evidence files are (the worker's own are not logged).
        referer = urlsplit(request.headers.get("Referer", "")).path
        payment_proof_download_record(actor=request.user, payment=payment, page=referer)
    return private_file_response(payment.proof, content_type=payment.proof_content_type)


@login_required
@require_POST
def payment_order_view(request, case_id: int):
    _visible(request, case_id)
    form = PaymentOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date by which the employer must pay."))
        return _back(case_id, "orders")
    perform(
        request,
        lambda: payment_order_issue(
            actor=request.user,
            case_id=case_id,
            deadline=form.cleaned_data["deadline"],
            reference=form.cleaned_data["reference"],
        ),
        done=_("The payment order is recorded with its deadline."),
    )
    return _back(case_id, "orders")


@login_required
@require_POST
def compensation_view(request, case_id: int, order_id: int):
    _visible(request, case_id)
    form = CompensationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a rate from 50 to 100 percent."))
        return _back(case_id, "orders")
    perform(
        request,
        lambda: payment_order_compensate(
            actor=request.user, case_id=case_id, order_id=order_id, rate=form.cleaned_data["rate"]
        ),
        done=_("The additional compensation is computed."),
    )
    return _back(case_id, "orders")
