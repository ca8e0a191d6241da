"""The contract pages through the HTTP client: who sees what (others get 404), the forms with
bad input (messages, never a 500), the actions, and query counts that do not grow with the
number of contracts, clauses or rounds."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.core.errors import ActionRefused
from mediation.contracts.choices import ContractState, ScopeKind
from mediation.contracts.models import (
    CollectiveContract,
    CongressVote,
    ConsultationRound,
    ContractClause,
)
from mediation.contracts.parameters import PARAMETERS
from mediation.contracts.services.proceedings import round_record
from mediation.contracts.services.terms import contract_create
from tests.clock import beijing
from tests.contracts.builders import (
    TODAY,
    add_clause,
    consulting_contract,
    make_contract_org,
    platform_terms,
    put_contract_in_state,
    regional_terms,
    template,
)

S = ContractState
pytestmark = pytest.mark.now(TODAY, hour=15)


@pytest.fixture
def co(db):
    return make_contract_org()


def detail(contract):
    return reverse("contracts:detail", args=[contract.pk])


# --- Who sees what -----------------------------------------------------------------------


def test_outsiders_get_404_on_every_contract_page(co, client):
    contract = consulting_contract(co.keeper, co.org)
    clause = contract.clauses.first()
    pages = [
        reverse("contracts:list"),
        reverse("contracts:create"),
        detail(contract),
        reverse("contracts:edit", args=[contract.pk]),
        reverse("contracts:clause_add", args=[contract.pk]),
        reverse("contracts:clause_edit", args=[contract.pk, clause.pk]),
        reverse("contracts:vote", args=[contract.pk]),
        reverse("contracts:version", args=[contract.pk, 1]),
    ]
    posts = [
        reverse("contracts:transition", args=[contract.pk, "revise"]),
        reverse("contracts:clause_remove", args=[contract.pk, clause.pk]),
        reverse("contracts:renew", args=[contract.pk]),
    ]
    for outsider in (co.worker, co.street_coordinator, co.org.representative):
        client.force_login(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider, url)
        for url in posts:
            assert client.post(url, {"expected_state": S.CONSULTING}).status_code == 404
    assert ContractClause.objects.filter(pk=clause.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    response = client.get(detail(contract))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_street_supervisor_keeps_the_contracts_of_their_street_only(co, client):
    platform = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    ours = contract_create(actor=co.keeper, terms=regional_terms(co.org))
    theirs = contract_create(
        actor=co.keeper,
        terms=regional_terms(co.org, region=co.org.b.street, title="西城街道行业合同"),
    )
    client.force_login(co.street_supervisor)
    listing = client.get(reverse("contracts:list")).content.decode()
    assert ours.title in listing
    assert platform.title not in listing and theirs.title not in listing
    assert client.get(detail(ours)).status_code == 200
    assert client.get(detail(platform)).status_code == 404
    assert client.get(detail(theirs)).status_code == 404


def test_a_keeper_creates_a_contract_through_the_form(co, client):
    client.force_login(co.keeper)
    response = client.post(
        reverse("contracts:create"),
        {
            "title": "滨江区快递行业集体合同",
            "scope_kind": ScopeKind.REGIONAL_INDUSTRY,
            "region": co.org.district.pk,
            "industry": "courier",
            "employer_party": "滨江区快递行业协会",
            "union_name": "滨江区快递行业工会联合会",
            "term_start": "2026-07-01",
            "term_end": "2029-06-30",
            "request_on": "2026-06-01",
        },
    )
    contract = CollectiveContract.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(contract)
    assert contract.state == S.DRAFTING
    assert contract.reply_due_on == date(2026, 6, 22)  # 21 June is a Sunday
    page = client.get(detail(contract)).content.decode()
    assert "滨江区快递行业集体合同" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"term_end": "2030-01-01"}, "term_end"),
        ({"term_end": "not a date"}, "term_end"),
        ({"company": ""}, "company"),
        ({"scope_kind": "galaxy"}, "scope_kind"),
        ({"request_on": "2999-01-01"}, "request_on"),
        ({"term_start": "9999-12-31", "term_end": "9999-12-31"}, "term_end"),
        ({"term_start": "0001-01-01"}, "term_start"),
    ],
)
def test_bad_input_on_the_create_form_is_explained(co, client, data, field):
    client.force_login(co.keeper)
    form = {
        "title": "合同",
        "scope_kind": ScopeKind.PLATFORM,
        "company": co.org.platform.pk,
        "union_name": "工会",
        "term_start": "2026-01-01",
        "term_end": "2026-12-31",
        **data,
    }
    response = client.post(reverse("contracts:create"), form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CollectiveContract.objects.exists()


def test_the_clause_form_validates_each_parameter(co, client):
    contract = contract_create(actor=co.keeper, terms=platform_terms(co.org))
    client.force_login(co.keeper)
    url = reverse("contracts:clause_add", args=[contract.pk])
    library = client.get(url).content.decode()
    assert "最低小时收入保障" in library
    tpl = template("rest-prompt")
    form = client.get(url, {"template": tpl.pk})
    assert form.status_code == 200
    assert 'value="4.0"' in form.content.decode()  # the library's default
    response = client.post(
        url,
        {"template": tpl.pk, "rest_prompt_after_hours": "13", "rest_minutes": "ten"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"rest_prompt_after_hours", "rest_minutes"}
    assert not contract.clauses.exists()
    response = client.post(
        url, {"template": tpl.pk, "rest_prompt_after_hours": "3.5", "rest_minutes": "30"}
    )
    assert response.status_code == 302
    clause = contract.clauses.get()
    assert clause.values == {"rest_prompt_after_hours": "3.5", "rest_minutes": "30"}
    page = client.get(detail(contract)).content.decode()
    assert "劳动者连续接单满3.5小时的" in page
    assert f'href="?template={tpl.pk}"' not in client.get(url).content.decode()
    # An unknown template is a 404, not a 500.
    assert client.get(url, {"template": "999999"}).status_code == 404
    assert client.get(url, {"template": "abc"}).status_code == 404


def test_the_vote_form_rejects_impossible_numbers_and_records_a_pass(co, client):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    url = reverse("contracts:vote", args=[contract.pk])
    held = "2026-06-15T14:00"  # an hour ago
    bad = client.post(
        url,
        {
            "held_at": held,
            "members": "90",
            "attended": "95",
            "yes": "46",
            "no": "0",
            "abstain": "0",
            "expected_state": S.CONSULTING,
        },
    )
    assert bad.status_code == 200
    assert "attended" in bad.context["form"].errors
    assert "95" in bad.content.decode()
    garbage = client.post(url, {"held_at": "yesterday", "members": "-3", "attended": "x"})
    assert garbage.status_code == 200
    assert not CongressVote.objects.exists()
    good = client.post(
        url,
        {
            "held_at": held,
            "members": "90",
            "attended": "60",
            "yes": "46",
            "no": "10",
            "abstain": "4",
            "expected_state": S.CONSULTING,
        },
    )
    assert good.status_code == 302
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.CONGRESS_APPROVED


def test_actions_through_the_page_and_a_replayed_post(co, client):
    contract = put_contract_in_state(
        S.CONGRESS_APPROVED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    client.force_login(co.keeper)
    page = client.get(detail(contract)).content.decode()
    sign_url = reverse("contracts:transition", args=[contract.pk, "sign"])
    assert sign_url in page
    assert reverse("contracts:transition", args=[contract.pk, "accept_review"]) not in page
    form = {"expected_state": S.CONGRESS_APPROVED, "on": "2026-06-15"}
    assert client.post(sign_url, form).status_code == 302
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.SIGNED
    replay = client.post(sign_url, form, follow=True)
    assert replay.status_code == 200
    messages = [str(m) for m in replay.context["messages"]]
    assert any(str(S.SIGNED.label) in m for m in messages), messages
    # Bad input to an action: a message, not a 500; unknown actions are not found.
    assert client.post(sign_url, {"on": "x"}).status_code == 302
    unknown = reverse("contracts:transition", args=[contract.pk, "come_into_force"])
    assert client.post(unknown, form).status_code == 404
    move = reverse("contracts:clause_move", args=[contract.pk, 1, "sideways"])
    assert client.post(move).status_code == 302


def test_only_supervisors_see_the_review_actions(co, client):
    contract = put_contract_in_state(
        S.FILED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    accept = reverse("contracts:transition", args=[contract.pk, "accept_review"])
    client.force_login(co.keeper)
    assert accept not in client.get(detail(contract)).content.decode()
    refused = client.post(accept, {"expected_state": S.FILED}, follow=True)
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.FILED
    assert refused.status_code == 200
    client.force_login(co.supervisor)
    assert accept in client.get(detail(contract)).content.decode()
    client.post(accept, {"expected_state": S.FILED})
    assert CollectiveContract.objects.get(pk=contract.pk).state == S.IN_FORCE


def test_renewal_from_the_page(co, client):
    contract = put_contract_in_state(
        S.EXPIRED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    client.force_login(co.keeper)
    response = client.post(
        reverse("contracts:renew", args=[contract.pk]), {"expected_state": S.EXPIRED}
    )
    renewal = CollectiveContract.objects.get(renewed_from=contract)
    assert response["Location"] == detail(renewal)
    assert contract.title in client.get(detail(renewal)).content.decode()


# --- Query counts ------------------------------------------------------------------------


def test_list_queries_do_not_grow_with_the_number_of_contracts(co, client):
    client.force_login(co.keeper)
    contract_create(actor=co.keeper, terms=platform_terms(co.org))
    url = reverse("contracts:list")
    client.get(url)  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(20):
        contract = contract_create(
            actor=co.keeper, terms=regional_terms(co.org, title=f"行业合同{i}")
        )
        add_clause(contract, co.keeper, "hourly-floor")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("行业合同") == 20
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_detail_queries_do_not_grow_with_clauses_rounds_versions_or_votes(
    co, client, django_assert_num_queries
):
    small = consulting_contract(co.keeper, co.org)
    big = consulting_contract(co.keeper, co.org, title="大合同")
    for key in (
        "piece-rate",
        "settlement-day",
        "commission-cap",
        "rest-prompt",
        "speed-cap",
        "extreme-weather",
        "training",
        "algorithm-consultation",
        "appeal",
    ):
        add_clause(big, co.keeper, key)
    for _ in range(4):
        round_record(
            actor=co.keeper,
            contract_id=big.pk,
            held_at=beijing("2026-06-14T15:00"),
            place="会议室",
            attendees="双方代表",
            minutes="纪要",
        )
    client.force_login(co.keeper)
    client.get(detail(small))  # warm the session and the calendar cache
    with CaptureQueriesContext(connection) as few:
        client.get(detail(small))
    with django_assert_num_queries(len(few)):
        page = client.get(detail(big))
    assert page.content.decode().count('class="clause"') == 10


def test_other_forms_explain_bad_input_and_refusals(co, client):
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    add_person = reverse("contracts:representative_add", args=[contract.pk])
    response = client.post(add_person, {"side": "referee", "name": "", "organisation": "工会"})
    assert response.status_code == 200
    assert {"side", "name"} <= set(response.context["form"].errors)
    add_round = reverse("contracts:round_add", args=[contract.pk])
    tomorrow = "2026-06-16T15:00"
    response = client.post(
        add_round, {"held_at": tomorrow, "place": "会议室", "attendees": "双方", "minutes": "纪要"}
    )
    assert response.status_code == 200
    assert "held_at" in response.context["form"].errors
    assert contract.rounds.count() == 1
    # Key terms through the page make a new version; once approved, the content is frozen.
    edit = reverse("contracts:edit", args=[contract.pk])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["title"] = "速达外卖平台集体合同（修订）"
    assert client.post(edit, data).status_code == 302
    assert (
        contract.versions.order_by("-number")
        .first()
        .text.startswith("速达外卖平台集体合同（修订）")
    )
    client.post(
        reverse("contracts:vote", args=[contract.pk]),
        {
            "held_at": "2026-06-15T14:00",
            "members": "10",
            "attended": "10",
            "yes": "10",
            "no": "0",
            "abstain": "0",
        },
    )
    data["title"] = "又改了"
    data["expected_state"] = S.CONGRESS_APPROVED
    refused = client.post(edit, data)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert CollectiveContract.objects.get(pk=contract.pk).title == "速达外卖平台集体合同（修订）"


def test_a_street_supervisor_cannot_open_contracts_beyond_their_street(co):
    for terms, field in (
        (platform_terms(co.org), "scope_kind"),
        (regional_terms(co.org, region=co.org.b.street), "region"),
    ):
        with pytest.raises(ActionRefused) as refused:
            contract_create(actor=co.street_supervisor, terms=terms)
        assert refused.value.field == field
    ours = contract_create(actor=co.street_supervisor, terms=regional_terms(co.org))
    assert ours.region == co.org.a.street


def test_signed_and_minutes_each_read_as_meant_in_chinese(co, client):
    # "Signed" is a state (已签订) and a date's label (签订日期); "minutes" is a round's record
    # (会议纪要) and a clause parameter's unit (分钟).
    contract = put_contract_in_state(
        S.SIGNED, keeper=co.keeper, supervisor=co.supervisor, org=co.org
    )
    client.force_login(co.keeper)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "<dt>签订日期</dt>" in page, "the signing date was labelled as a state"
    assert "已签订" in page
    assert str(ConsultationRound._meta.get_field("minutes").verbose_name) == "会议纪要"
    assert str(PARAMETERS["rest_minutes"].unit) == "分钟"
