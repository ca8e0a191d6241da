"""Pages of the contract and its text: the list, opening a contract, the contract page, the
key terms, the clauses, the PDF, the versions and their differences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casework.core.actions import perform
from casework.core.bounds import parse_id
from mediation.contracts import documents as contract_documents
from mediation.contracts import selectors
from mediation.contracts.forms import (
    ClauseValuesForm,
    ContractFilterForm,
    ContractTermsForm,
    OwnClauseForm,
)
from mediation.contracts.rendering import clause_preview
from mediation.contracts.services import own_clauses
from mediation.contracts.services import terms as services
from mediation.contracts.views.responses import (
    detail_page,
    form_page,
    or_404,
    plain_contract,
    posted,
)

# --- List and create ---------------------------------------------------------------------


@login_required
@require_safe
def contract_list(request):
    form = ContractFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    contracts = or_404(
        lambda: selectors.contract_list(
            user=request.user, state=data.get("state") or "", q=data.get("q") or ""
        )
    )
    return render(request, "contracts/contract_list.html", {"contracts": contracts, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_create(request):
    or_404(lambda: selectors.contract_staff_check(user=request.user))
    form = ContractTermsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, contract = perform(
            request,
            lambda: services.contract_create(actor=request.user, terms=form.to_terms()),
            done=_("The contract is open in drafting."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request, title=_("New collective contract"), form=form, submit=_("Open the contract")
    )


# --- The contract page -------------------------------------------------------------------


@login_required
@require_safe
def contract_detail(request, contract_id: int):
    view = or_404(
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
@require_http_methods(["GET", "HEAD", "POST"])
def contract_edit(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    form = ContractTermsForm(posted(request), initial=ContractTermsForm.initial_from(contract))
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: services.contract_update_terms(
                actor=request.user,
                contract_id=contract.pk,
                terms=form.to_terms(),
                expected_state=form.cleaned_data.get("expected_state") or None,
            ),
            done=_("Key terms saved."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request,
        title=_("Key terms"),
        form=form,
        contract=contract,
        submit=_("Save the key terms"),
    )


# --- Clauses -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clause_add(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    raw_template = request.POST.get("template") or request.GET.get("template")
    if not raw_template:
        return render(
            request,
            "contracts/clause_library.html",
            {
                "contract": contract,
                "library": selectors.clause_library(user=request.user, contract=contract),
            },
        )
    template = or_404(
        lambda: selectors.clause_template_get(user=request.user, template_id=parse_id(raw_template))
    )
    form = ClauseValuesForm(posted(request), template=template)
    preview = clause_preview(contract, template)
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: services.clause_add(
                actor=request.user,
                contract_id=contract.pk,
                template_id=template.pk,
                values=form.values(),
            ),
            done=_("Clause added."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return render(
        request,
        "contracts/clause_form.html",
        {
            "contract": contract,
            "template": template,
            "form": form,
            "clause": None,
            "preview": preview,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_clause_add(request, contract_id: int):
    contract = plain_contract(request, contract_id)
    form = OwnClauseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: own_clauses.own_clause_add(
                actor=request.user,
                contract_id=contract.pk,
                chapter=form.cleaned_data["chapter"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            ),
            done=_("Clause added."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request,
        title=_("Write a clause of your own"),
        form=form,
        contract=contract,
        submit=_("Add the clause"),
        intro=_(
            "For terms the library lacks: the clause is numbered and versioned like the others."
        ),
    )


def _own_clause_edit(request, clause):
    contract = clause.contract
    initial = {"chapter": clause.own_chapter, "title": clause.own_title, "text": clause.own_text}
    form = OwnClauseForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: own_clauses.own_clause_update(
                actor=request.user,
                contract_id=contract.pk,
                clause_id=clause.pk,
                chapter=form.cleaned_data["chapter"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            ),
            done=_("Clause saved."),
            form=form,
        )
        if ok:
            return detail_page(contract.pk)
    return form_page(
        request,
        title=_("Change a clause"),
        form=form,
        contract=contract,
        submit=_("Save the clause"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clause_edit(request, contract_id: int, clause_id: int):
    clause = or_404(
        lambda: selectors.clause_get_for_user(
            user=request.user, contract_id=contract_id, clause_id=clause_id
        )
    )
    if clause.is_own:
        return _own_clause_edit(request, clause)
    form = ClauseValuesForm(posted(request), template=clause.template, initial=dict(clause.values))
    if request.method == "POST" and form.is_valid():
        ok, _result = perform(
            request,
            lambda: services.clause_update(
                actor=request.user,
                contract_id=contract_id,
                clause_id=clause.pk,
                values=form.values(),
            ),
            done=_("Clause saved."),
            form=form,
        )
        if ok:
            return detail_page(contract_id)
    return render(
        request,
        "contracts/clause_form.html",
        {
            "contract": clause.contract,
            "template": clause.template,
            "form": form,
            "clause": clause,
            "preview": clause_preview(clause.contract, clause.template, clause.values),
        },
    )


@login_required
@require_POST
def clause_remove(request, contract_id: int, clause_id: int):
    perform(
        request,
        lambda: services.clause_remove(
            actor=request.user, contract_id=contract_id, clause_id=clause_id
        ),
        done=_("Clause removed."),
    )
    return detail_page(contract_id)


@login_required
@require_POST
def clause_move(request, contract_id: int, clause_id: int, direction: str):
    perform(
        request,
        lambda: services.clause_move(
            actor=request.user, contract_id=contract_id, clause_id=clause_id, direction=direction
        ),
    )
    return detail_page(contract_id)


# --- The PDF -----------------------------------------------------------------------------


@login_required
@require_POST
def document(request, contract_id: int):
    perform(
        request,
        lambda: services.contract_request_document(actor=request.user, contract_id=contract_id),
        done=_("The PDF is being prepared; it appears below when ready."),
    )
    return detail_page(contract_id)


# --- Versions ----------------------------------------------------------------------------


@login_required
@require_safe
def version_detail(request, contract_id: int, number: int):
    version = or_404(
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
@require_safe
def version_diff(request, contract_id: int):
    old, new = _version_number(request.GET.get("old")), _version_number(request.GET.get("new"))
    if old is None or new is None:
        contract = or_404(
            lambda: selectors.contract_get_plain(user=request.user, contract_id=contract_id)
        )
        messages.error(request, _("Choose two versions to compare."))
        return detail_page(contract.pk)
    comparison = or_404(
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
