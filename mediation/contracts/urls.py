from django.urls import path

from mediation.contracts import views

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.contract_list, name="list"),
    path("contracts/new/", views.contract_create, name="create"),
    path("contracts/<int:contract_id>/", views.contract_detail, name="detail"),
    path("contracts/<int:contract_id>/terms/", views.contract_edit, name="edit"),
    path(
        "contracts/<int:contract_id>/representatives/add/",
        views.representative_add,
        name="representative_add",
    ),
    path(
        "contracts/<int:contract_id>/representatives/<int:representative_id>/remove/",
        views.representative_remove,
        name="representative_remove",
    ),
    path("contracts/<int:contract_id>/rounds/add/", views.round_add, name="round_add"),
    path("contracts/<int:contract_id>/clauses/add/", views.clause_add, name="clause_add"),
    path(
        "contracts/<int:contract_id>/clauses/<int:clause_id>/",
        views.clause_edit,
        name="clause_edit",
    ),
    path(
        "contracts/<int:contract_id>/clauses/<int:clause_id>/remove/",
        views.clause_remove,
        name="clause_remove",
    ),
    path(
        "contracts/<int:contract_id>/clauses/<int:clause_id>/move/<str:direction>/",
        views.clause_move,
        name="clause_move",
    ),
    path("contracts/<int:contract_id>/vote/", views.vote, name="vote"),
    path("contracts/<int:contract_id>/do/<slug:name>/", views.transition, name="transition"),
    path("contracts/<int:contract_id>/renew/", views.renew, name="renew"),
    path("contracts/<int:contract_id>/document/", views.document, name="document"),
    path(
        "contracts/<int:contract_id>/versions/<int:number>/",
        views.version_detail,
        name="version",
    ),
    path("contracts/<int:contract_id>/versions/diff/", views.version_diff, name="diff"),
]
