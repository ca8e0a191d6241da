"""Pages of a contract's proceedings: the representatives, the consultation rounds and the
workers' congress vote."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.core.actions import perform
from mediation.contracts.forms import RepresentativeForm, RoundForm, VoteForm
from mediation.contracts.services import proceedings as services
from mediation.contracts.views.responses import detail_page, form_page, plain_contract, posted


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def representative_add(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    form = RepresentativeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: services.representative_add(
                actor=request.user, contract_id=contract.pk, **form.cleaned_data
            ),
            done=_("Representative added."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request,
        title=_("Add a representative"),
        form=form,
        contract=contract,
        submit=_("Add"),
        intro=_(
            "Each side needs at least three representatives, the same number as the other "
            "side, and one chief. The union chooses the workers' representatives."
        ),
    )


@login_required
@require_POST
def representative_remove(request, contract_id: int, representative_id: int):
    perform(
        request,
        lambda: services.representative_remove(
            actor=request.user, contract_id=contract_id, representative_id=representative_id
        ),
        done=_("Representative removed."),
    )
    return detail_page(contract_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_add(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    form = RoundForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: services.round_record(
                actor=request.user, contract_id=contract.pk, **form.cleaned_data
            ),
            done=_("Round recorded."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request,
        title=_("Record a consultation round"),
        form=form,
        contract=contract,
        submit=_("Record the round"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vote(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    form = VoteForm(posted(request), initial={"expected_state": contract.state})
    if request.method == "POST" and form.is_valid():
        ok, outcome = perform(
            request,
            lambda: services.vote_record(
                actor=request.user,
                contract_id=contract.pk,
                count=form.count(),
                held_at=form.cleaned_data["held_at"],
                expected_state=form.cleaned_data.get("expected_state") or None,
            ),
            form=form,
        )
        if ok:
            if outcome.passed:
                messages.success(
                    request, _("The congress approved the contract: both chiefs may now sign.")
                )
            else:
                messages.warning(
                    request,
                    _("The vote is recorded, but the contract is not approved: %(reasons)s.")
                    % {"reasons": "; ".join(outcome.reasons)},
                )
            return detail_page(contract.pk)
    return render(request, "contracts/vote_form.html", {"contract": contract, "form": form})
