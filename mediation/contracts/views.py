"""Pages of collective contracts: list, create, the contract page and its forms, the diff.

Views parse input, call one service or selector and render. A contract the user may not see
answers 404; a refusal comes back as a message or as the form's errors, never a 500.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.services.errors import ActionRefused
from mediation.contracts import documents as contract_documents
from mediation.contracts import selectors
from mediation.contracts.forms import (
    ClauseValuesForm,
    ContractFilterForm,
    ContractTermsForm,
    RepresentativeForm,
    RoundForm,
    TransitionForm,
    VoteForm,
)
from mediation.contracts.rules import ACTIONS, SYSTEM
from mediation.contracts.services import lifecycle, proceedings, terms
from mediation.contracts.services.errors import ContractNotFound


def _or_404(call: Callable):
    try:
        return call()
    except ContractNotFound as exc:
        raise Http404 from exc


def _plain(request, contract_id: int):
    return _or_404(lambda: selectors.contract_get_plain(user=request.user, contract_id=contract_id))


def _detail(contract_id: int):
    return redirect(reverse("contracts:detail", args=[contract_id]))


def _perform(request, call: Callable, *, done: str | Callable | None = None, form=None):
    """Run a service call. Returns (ok, result). A refusal goes to the form field it names,
    or to the page's messages."""
    try:
        result = call()
    except ContractNotFound as exc:
        raise Http404 from exc
    except ActionRefused as refusal:
        if form is not None:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.error(request, refusal.message)
        return False, None
    if done is not None:
        messages.success(request, done(result) if callable(done) else str(done))
    return True, result


def _form_page(request, *, title: str, form, contract=None, submit: str, intro: str = ""):
    return render(
        request,
        "contracts/form_page.html",
        {"title": title, "form": form, "contract": contract, "submit": submit, "intro": intro},
    )


# --- List and create ---------------------------------------------------------------------


def _posted(request):
    """The form data of a POST, or None: `request.POST or None` would leave an empty POST
    unbound, and the form would show no errors."""
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def contract_list(request):
    form = ContractFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    contracts = _or_404(
        lambda: selectors.contract_list(
            user=request.user, state=data.get("state") or "", q=data.get("q") or ""
        )
    )
    return render(request, "contracts/contract_list.html", {"contracts": contracts, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    _or_404(lambda: selectors.contract_staff_check(user=request.user))
    form = ContractTermsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ok, contract = _perform(
            request,
            lambda: terms.contract_create(actor=request.user, terms=form.to_terms()),
            done=_("The contract is open in drafting."),
            form=form,
        )
        if ok:
            return _detail(contract.pk)
    return _form_page(
        request, title=_("New collective contract"), form=form, submit=_("Open the contract")
    )


# --- The contract page -------------------------------------------------------------------


@login_required
@require_GET
def contract_detail(request, contract_id: int):
    view = _or_404(
        lambda: selectors.contract_get_for_user(user=request.user, contract_id=contract_id)
    )
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "view": view,
            "contract": view.contract,
            "history": selectors.contract_history_for_user(
                user=request.user, contract=view.contract
            ),
            "documents_ready": contract_documents.pdf_available(),
            "documents": selectors.contract_documents_for_user(
                user=request.user, contract=view.contract
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, contract_id: int):
    contract = _plain(request, contract_id)
    form = ContractTermsForm(_posted(request), initial=ContractTermsForm.initial_from(contract))
    if request.method == "POST" and form.is_valid():
        ok, _result = _perform(
            request,
            lambda: terms.contract_update_terms(
                actor=request.user,
                contract_id=contract.pk,
                terms=form.to_terms(),
                expected_state=form.cleaned_data.get("expected_state") or None,
            ),
            done=_("Key terms saved."),
            form=form,
        )
        if ok:
            return _detail(contract.pk)
    return _form_page(
        request,
        title=_("Key terms"),
        form=form,
        contract=contract,
        submit=_("Save the key terms"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_add(request, contract_id: int):
    contract = _plain(request, contract_id)
    form = RepresentativeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _result = _perform(
            request,
            lambda: proceedings.representative_add(
                actor=request.user, contract_id=contract.pk, **form.cleaned_data
            ),
            done=_("Representative added."),
            form=form,
        )
        if ok:
            return _detail(contract.pk)
    return _form_page(
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
    _perform(
        request,
        lambda: proceedings.representative_remove(
            actor=request.user, contract_id=contract_id, representative_id=representative_id
        ),
        done=_("Representative removed."),
    )
    return _detail(contract_id)


@login_required
@require_http_methods(["GET", "POST"])
def round_add(request, contract_id: int):
    contract = _plain(request, contract_id)
    form = RoundForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _result = _perform(
            request,
            lambda: proceedings.round_record(
                actor=request.user, contract_id=contract.pk, **form.cleaned_data
            ),
            done=_("Round recorded."),
            form=form,
        )
        if ok:
            return _detail(contract.pk)
    return _form_page(
        request,
        title=_("Record a consultation round"),
        form=form,
        contract=contract,
        submit=_("Record the round"),
    )


# --- Clauses -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def clause_add(request, contract_id: int):
    contract = _plain(request, contract_id)
    template_id = request.POST.get("template") or request.GET.get("template")
    if not template_id:
        return render(
            request,
            "contracts/clause_library.html",
            {
                "contract": contract,
                "library": selectors.clause_library(user=request.user, contract=contract),
            },
        )
    template = _or_404(
        lambda: selectors.clause_template_get(user=request.user, template_id=template_id)
    )
    form = ClauseValuesForm(_posted(request), template=template)
    if request.method == "POST" and form.is_valid():
        ok, _result = _perform(
            request,
            lambda: terms.clause_add(
                actor=request.user,
                contract_id=contract.pk,
                template_id=template.pk,
                values=form.values(),
            ),
            done=_("Clause added."),
            form=form,
        )
        if ok:
            return _detail(contract.pk)
    return render(
        request,
        "contracts/clause_form.html",
        {"contract": contract, "template": template, "form": form, "clause": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def clause_edit(request, contract_id: int, clause_id: int):
    clause = _or_404(
        lambda: selectors.clause_get_for_user(
            user=request.user, contract_id=contract_id, clause_id=clause_id
        )
    )
    form = ClauseValuesForm(_posted(request), template=clause.template, initial=dict(clause.values))
    if request.method == "POST" and form.is_valid():
        ok, _result = _perform(
            request,
            lambda: terms.clause_update(
                actor=request.user,
                contract_id=contract_id,
                clause_id=clause.pk,
                values=form.values(),
            ),
            done=_("Clause saved."),
            form=form,
        )
        if ok:
            return _detail(contract_id)
    return render(
        request,
        "contracts/clause_form.html",
        {"contract": clause.contract, "template": clause.template, "form": form, "clause": clause},
    )


@login_required
@require_POST
def clause_remove(request, contract_id: int, clause_id: int):
    _perform(
        request,
        lambda: terms.clause_remove(
            actor=request.user, contract_id=contract_id, clause_id=clause_id
        ),
        done=_("Clause removed."),
    )
    return _detail(contract_id)


@login_required
@require_POST
def clause_move(request, contract_id: int, clause_id: int, direction: str):
    _perform(
        request,
        lambda: terms.clause_move(
            actor=request.user, contract_id=contract_id, clause_id=clause_id, direction=direction
        ),
    )
    return _detail(contract_id)


# --- Congress vote, transitions, renewal -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, contract_id: int):
    contract = _plain(request, contract_id)
    form = VoteForm(_posted(request), initial={"expected_state": contract.state})
    if request.method == "POST" and form.is_valid():
        ok, outcome = _perform(
            request,
            lambda: proceedings.vote_record(
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
            return _detail(contract.pk)
    return render(request, "contracts/vote_form.html", {"contract": contract, "form": form})


@login_required
@require_POST
def transition(request, contract_id: int, name: str):
    action = ACTIONS.get(name)
    if action is None or action.who == SYSTEM:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _detail(contract_id)
    data = form.cleaned_data
    _perform(
        request,
        lambda: lifecycle.contract_transition(
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
    return _detail(contract_id)


@login_required
@require_POST
def renew(request, contract_id: int):
    ok, new = _perform(
        request,
        lambda: lifecycle.contract_renew(
            actor=request.user,
            contract_id=contract_id,
            expected_state=request.POST.get("expected_state") or None,
        ),
        done=_("The renewal is open in drafting, with the old clauses and representatives."),
    )
    return _detail(new.pk if ok else contract_id)


@login_required
@require_POST
def document(request, contract_id: int):
    _perform(
        request,
        lambda: terms.contract_request_document(actor=request.user, contract_id=contract_id),
        done=_("The PDF is being prepared; it appears below when ready."),
    )
    return _detail(contract_id)


# --- Versions ----------------------------------------------------------------------------


@login_required
@require_GET
def version_detail(request, contract_id: int, number: int):
    version = _or_404(
        lambda: selectors.version_get_for_user(
            user=request.user, contract_id=contract_id, number=number
        )
    )
    return render(
        request,
        "contracts/version_detail.html",
        {"version": version, "contract": version.contract},
    )


def _version_number(raw) -> int | None:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1_000_000 else None


@login_required
@require_GET
def version_diff(request, contract_id: int):
    old, new = _version_number(request.GET.get("old")), _version_number(request.GET.get("new"))
    if old is None or new is None:
        contract = _or_404(
            lambda: selectors.contract_get_plain(user=request.user, contract_id=contract_id)
        )
        messages.error(request, _("Choose two versions to compare."))
        return _detail(contract.pk)
    comparison = _or_404(
        lambda: selectors.version_diff_for_user(
            user=request.user, contract_id=contract_id, old_number=old, new_number=new
        )
    )
    layout = "unified" if request.GET.get("layout") == "unified" else "side"
    return render(
        request,
        "contracts/diff.html",
        {"comparison": comparison, "contract": comparison.contract, "layout": layout},
    )
