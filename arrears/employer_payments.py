"""Payments the employer reports: its representative's page on the platform portal
(/platform/cases/<id>/payments/), read and written through the representative's scope.

It lives in arrears, which sits above the portal (platforms.portal) and the responses'
access (platforms.responses.access) in the import layers: the portal's own modules never
import the ledger; the portal's case page links here by URL name. A case outside the
representative's companies, or not yet taken up by the bureau, answers 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from arrears.choices import PaymentMethod, PaymentSource
from arrears.forms import DateInput
from arrears.ledger import CaseLedger, ledger_with_roles
from arrears.services import payment_record
from arrears.services.common import NO_MONEY_STATES
from casework.cases.models import Case
from casework.core.actions import perform
from casework.core.errors import CaseNotFound, NotFound
from casework.core.forms import Form
from casework.core.roles import Role
from casework.core.uploads import accepts_uploads, request_too_large
from platforms.responses.access import represented_cases


def case_ledger_for_representative(*, user, case_id) -> CaseLedger:
    """The ledger of a case naming a company the representative answers for (within a
    token's one company when scoped); NotFound otherwise."""
    try:
        case = represented_cases(user=user).select_related("team").get(pk=int(case_id))
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise CaseNotFound from exc
    return ledger_with_roles(case=case, roles=frozenset({Role.PLATFORM_REPRESENTATIVE}))


def employer_payment_report(
    *, actor, case_id, amount, paid_on, method, instalment_id=None, proof=None, note=""
):
    """The employer says it paid: recorded as "reported by the employer" until the worker
    confirms it or staff check its proof (arrears.services.payment_record)."""
    return payment_record(
        actor=actor,
        case_id=case_id,
        amount=amount,
        paid_on=paid_on,
        method=method,
        proof=proof,
        instalment_id=instalment_id,
        source=PaymentSource.EMPLOYER,
        note=note,
    )


class EmployerPaymentForm(Form):
    amount = forms.CharField(label=gettext_lazy("Amount paid (yuan)"), max_length=30)
    paid_on = forms.DateField(label=gettext_lazy("Date paid"), widget=DateInput)
    method = forms.ChoiceField(label=gettext_lazy("How it was paid"), choices=PaymentMethod.choices)
    instalment = forms.TypedChoiceField(
        label=gettext_lazy("Instalment it pays"), required=False, coerce=int, empty_value=None
    )
    proof = forms.FileField(
        label=gettext_lazy("Proof (photo or PDF of the transfer)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args, instalments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [("", gettext_lazy("None"))] + [
            (row.instalment.pk, f"{row.due_on:%Y-%m-%d} · ¥{row.amount:,.2f}")
            for row in instalments
        ]


def _page(request, ledger: CaseLedger, form=None, status=200):
    context = {
        "ledger": ledger,
        "case": ledger.case,
        "form": form or EmployerPaymentForm(instalments=ledger.instalments),
        "can_report": ledger.outstanding > 0 and ledger.case.state not in NO_MONEY_STATES,
    }
    return render(request, "arrears/portal_payments.html", context, status=status)


@accepts_uploads("ANXIN_MAX_REQUEST_BYTES")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_payments(request, case_id: int):
    """GET: what the employer paid and what is left, with the form; POST: report a payment."""
    try:
        ledger = case_ledger_for_representative(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.method != "POST":
        return _page(request, ledger)
    if request_too_large(request):
        messages.error(request, _("The file is too large; nothing was recorded."))
        return _page(request, ledger, status=400)
    form = EmployerPaymentForm(request.POST, request.FILES, instalments=ledger.instalments)
    if form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: employer_payment_report(
                actor=request.user,
                case_id=case_id,
                amount=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                instalment_id=data["instalment"],
                proof=data["proof"],
                note=data["note"],
            ),
            done=_(
                "The payment is recorded as reported by your company. It counts once the worker "
                "confirms it or the bureau checks the proof."
            ),
            form=form,
        )
        if done:
            url = reverse("arrears:portal_payments", args=[case_id])
            return HttpResponseRedirect(url + "#payments")
    # Refused: nothing was written, the ledger read above is still the ledger.
    return _page(request, ledger, form=form, status=400)
