"""How the contract pages answer a service or selector call: 404 for a contract the user may
not see, a refusal as the form's errors or a message, the way back to the contract page."""

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mediation.contracts import selectors
from mediation.contracts.services.errors import ContractNotFound


def or_404(call: Callable):
    try:
        return call()
    except ContractNotFound as exc:
        raise Http404 from exc


def plain_contract(request, contract_id: int):
    return or_404(lambda: selectors.contract_get_plain(user=request.user, contract_id=contract_id))


def detail_page(contract_id: int):
    return redirect(reverse("contracts:detail", args=[contract_id]))


def form_page(request, *, title: str, form, contract=None, submit: str, intro: str = ""):
    return render(
        request,
        "contracts/form_page.html",
        {"title": title, "form": form, "contract": contract, "submit": submit, "intro": intro},
    )


def posted(request):
    """The form data of a POST, or None: `request.POST or None` would leave an empty POST
    unbound, and the form would show no errors."""
    return request.POST if request.method == "POST" else None
