"""The contract's lifecycle from its page: the transition buttons and the renewal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.core.actions import perform
from mediation.contracts.forms import TransitionForm
from mediation.contracts.services import lifecycle as services
from mediation.contracts.transitions import BUTTONS
from mediation.contracts.views.responses import detail_page


@login_required
@require_POST
def transition(request, contract_id: int, name: str):
    if name not in BUTTONS:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return detail_page(contract_id)
    data = form.cleaned_data
    perform(
        request,
        lambda: services.contract_transition(
            actor=request.user,
            contract_id=contract_id,
            name=name,
            expected_state=data["expected_state"],
            on=data.get("on"),
            opinion=data.get("opinion") or "",
            reason=data.get("reason") or "",
        ),
        done=lambda contract: (
            _("Done: the contract is now “%(state)s”.") % {"state": contract.state_label}
        ),
    )
    return detail_page(contract_id)


@login_required
@require_POST
def renew(request, contract_id: int):
    ok, new = perform(
        request,
        lambda: services.contract_renew(
            actor=request.user,
            contract_id=contract_id,
            expected_state=request.POST.get("expected_state") or None,
        ),
        done=_("The renewal is open in drafting, with the old clauses and representatives."),
    )
    return detail_page(new.pk if ok else contract_id)
