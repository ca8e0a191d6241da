from django.urls import path

import casework.core.converters  # noqa: F401 (registers the <id:...> converter)
from mediation.contracts.views import lifecycle, proceedings, terms

app_name = "contracts"

urlpatterns = [
    path("contracts/", terms.contract_list, name="list"),
    path("contracts/new/", terms.contract_create, name="create"),
    path("contracts/<id:contract_id>/", terms.contract_detail, name="detail"),
    path("contracts/<id:contract_id>/terms/", terms.contract_edit, name="edit"),
    path(
        "contracts/<id:contract_id>/representatives/add/",
        proceedings.representative_add,
        name="representative_add",
    ),
    path(
        "contracts/<id:contract_id>/representatives/<id:representative_id>/remove/",
        proceedings.representative_remove,
        name="representative_remove",
    ),
    path("contracts/<id:contract_id>/rounds/add/", proceedings.round_add, name="round_add"),
    path("contracts/<id:contract_id>/clauses/add/", terms.clause_add, name="clause_add"),
    path(
        "contracts/<id:contract_id>/clauses/own/",
        terms.own_clause_add,
        name="own_clause_add",
    ),
    path(
        "contracts/<id:contract_id>/clauses/<id:clause_id>/",
        terms.clause_edit,
        name="clause_edit",
    ),
    path(
        "contracts/<id:contract_id>/clauses/<id:clause_id>/remove/",
        terms.clause_remove,
        name="clause_remove",
    ),
    path(
        "contracts/<id:contract_id>/clauses/<id:clause_id>/move/<str:direction>/",
        terms.clause_move,
        name="clause_move",
    ),
    path("contracts/<id:contract_id>/vote/", proceedings.vote, name="vote"),
    path("contracts/<id:contract_id>/do/<slug:name>/", lifecycle.transition, name="transition"),
    path("contracts/<id:contract_id>/renew/", lifecycle.renew, name="renew"),
    path("contracts/<id:contract_id>/document/", terms.document, name="document"),
    path(
        "contracts/<id:contract_id>/versions/<id:number>/",
        terms.version_detail,
        name="version",
    ),
    path("contracts/<id:contract_id>/versions/diff/", terms.version_diff, name="diff"),
]
