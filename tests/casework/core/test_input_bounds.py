"""Issue 13, holes 3 to 5: dates out of range, control characters and unvalidated keys,
integers out of range. Each answered 500 before (on SQLite or PostgreSQL); each is now a field
error, a 400 or a 404, and nothing is stored. The class checks at the end: every form derives
from casework.core.forms.Form, and no URL takes a number through Django's unbounded `int`.
"""

import importlib
import inspect
import pkgutil
from datetime import UTC, date, datetime

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone, translation

import arrears
import casework
import mediation
from casework.cases.models import Case
from casework.core.bounds import check_date_bounds, parse_id, parse_ids
from casework.core.errors import ActionRefused
from casework.core.forms import Form
from casework.groups.models import CaseGroup
from casework.intake.models import IntakeDraft
from mediation.contracts.models import ConsultationRound
from mediation.contracts.services.proceedings import round_record
from tests.contracts.builders import TODAY, consulting_contract, make_contract_org
from tests.factories.cases import cover_streets_with_unit_office, make_case, make_org
from tests.factories.organisation import make_worker

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=15)]


@pytest.fixture
def org():
    return cover_streets_with_unit_office(make_org())


# Hole 3: dates out of range ------------------------------------------------------------------


@pytest.mark.parametrize("held_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"])
def test_a_round_held_in_year_1_is_refused_and_the_contract_stays_readable(client, held_at):
    co = make_contract_org()
    contract = consulting_contract(co.keeper, co.org)
    client.force_login(co.keeper)
    rounds = ConsultationRound.objects.count()

    with translation.override("en"):
        response = client.post(
            reverse("contracts:round_add", args=[contract.pk]),
            {"held_at": held_at, "place": "会议室", "attendees": "双方", "minutes": "纪要"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["held_at"] == [
        "请输入 2000-01-01 至 2100-12-31 之间的日期。"
    ]
    assert ConsultationRound.objects.count() == rounds
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200


def test_services_refuse_dates_out_of_range_whoever_calls_them():
    co = make_contract_org()
    contract = consulting_contract(co.keeper, co.org)
    year_one = datetime(1, 1, 2, tzinfo=UTC)

    with pytest.raises(ActionRefused) as refusal:
        round_record(
            actor=co.keeper,
            contract_id=contract.pk,
            held_at=year_one,
            place="会议室",
            attendees="双方",
            minutes="纪要",
        )
    assert refusal.value.field == "held_at"
    assert contract.rounds.count() == 1
    with pytest.raises(ActionRefused):
        check_date_bounds(on=date(9999, 12, 31))
    check_date_bounds(on=date(2100, 12, 31), at=timezone.now(), nothing=None)


@pytest.mark.parametrize(
    "query",
    [
        "date_to=9999-12-31",
        "date_from=0001-01-01",
        "date_from=0001-01-01&date_to=9999-12-31",
        "date_to=2101-01-01&page=99999999999999999999",
    ],
)
def test_the_queue_with_dates_out_of_range_answers_with_a_message(client, org, query):
    make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.station_coordinator)

    with translation.override("en"):
        response = client.get(f"{reverse('casework:queue')}?{query}")

    assert response.status_code == 200
    assert "请输入 2000-01-01 至 2100-12-31 之间的日期。" in response.content.decode()


def test_date_inputs_carry_the_bounds_for_the_browser():
    from mediation.contracts.forms import RoundForm

    html = str(RoundForm()["held_at"])
    assert 'min="2000-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html


# Hole 4: control characters and unvalidated keys ---------------------------------------------


def test_a_nul_anywhere_in_a_post_or_query_is_a_400_and_nothing_is_saved(client):
    # Before: Django's CharField refused NUL in a field, but the draft stored every posted key
    # (and a step left with "back" unvalidated): PostgreSQL then answered 500.
    worker = make_worker()
    client.force_login(worker)
    step_one = reverse("casework:intake_step", args=[1])
    valid = {"category": "pay_arrears", "description": "欠薪三个月了，平台一直不结算"}

    in_a_key = client.post(step_one, {**valid, "note": "a\x00b"})
    in_a_name = client.post(step_one, {**valid, "x\x00": "1"})
    going_back = client.post(step_one, {**valid, "description": "欠薪\x00三个月了", "back": "1"})
    query = client.get(reverse("casework:inbox_since") + "?after=%00")

    statuses = [r.status_code for r in (in_a_key, in_a_name, going_back, query)]
    assert statuses == [400, 400, 400, 400]
    assert not IntakeDraft.objects.exists()


@pytest.mark.parametrize("control", ["\x07", "\x1b[31m", "\x7f", "\x85", "\x0b"])
def test_other_control_characters_are_refused_with_a_message_on_the_field(client, control):
    worker = make_worker()
    client.force_login(worker)

    with translation.override("en"):
        response = client.post(
            reverse("casework:intake_step", args=[1]),
            {"category": "pay_arrears", "description": f"欠薪三个月了{control}还没给"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["请删除文字中不可见的控制字符。"]
    assert not IntakeDraft.objects.exists()


def test_line_breaks_pass_in_multi_line_text_but_not_in_a_one_line_field():
    from casework.intake.forms import EmployerForm, WhatHappenedForm

    text = WhatHappenedForm({"category": "pay_arrears", "description": "第一行\r\n第二行\t完"})
    line = EmployerForm({"platform_other": "速达\n外卖"})

    assert text.is_valid(), text.errors
    assert "platform_other" in line.errors


def test_a_draft_keeps_only_the_fields_of_its_step_that_passed(client):
    worker = make_worker()
    client.force_login(worker)
    step_one = reverse("casework:intake_step", args=[1])

    client.post(
        step_one,
        {
            "category": "pay_arrears",
            "description": "欠薪三个月了，还没有给",
            "admin": "1",
            "x" * 300: "y" * 5000,
        },
    )
    client.post(
        reverse("casework:intake_step", args=[2]),
        {"platform_other": "速达\x08外卖", "operator": "城东站", "back": "1", "junk": "z"},
    )

    draft = IntakeDraft.objects.get(owner=worker)
    assert draft.data["1"] == {"category": "pay_arrears", "description": "欠薪三个月了，还没有给"}
    assert draft.data["2"] == {"operator": "城东站"}  # the platform was refused, no junk


# Hole 5: integers out of range -------------------------------------------------------------


def test_ids_beyond_64_bits_in_urls_are_404(client, org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.station_coordinator)
    huge = 2**63

    assert client.post(f"/cases/{huge}/group/").status_code == 404
    assert client.get(f"/cases/{huge}/").status_code == 404
    assert client.get("/cases/99999999999999999999999/").status_code == 404
    assert client.get("/cases/0/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize(
    "posted",
    [
        {"cases": "99999999999999999999999"},
        {"cases": ["9223372036854775808", "²", "１２"], "group": "99999999999999999999999"},
        {"group": "³"},
    ],
)
def test_ids_beyond_64_bits_or_odd_digits_in_forms_are_ignored(client, org, posted):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.station_coordinator)

    response = client.post(reverse("casework:case_group", args=[case.pk]), posted)

    assert response.status_code in {302, 404}
    groups = CaseGroup.objects.all()
    assert all(set(g.cases.values_list("pk", flat=True)) <= {case.pk} for g in groups)
    assert Case.objects.count() == 1


def test_integer_fields_refuse_numbers_beyond_64_bits():
    from casework.cases.forms import AssignForm

    assert "assignee" in AssignForm({"assignee": str(2**63)}).errors
    assert AssignForm({"assignee": str(2**63 - 1)}).is_valid()


def test_parse_id_takes_ascii_digits_in_range_only():
    assert [parse_id(v) for v in ["1", "0", "-1", "²", "１", str(2**63), str(2**63 - 1)]] == [
        1,
        None,
        None,
        None,
        None,
        None,
        2**63 - 1,
    ]
    assert parse_ids(["3", "x", "4"] * 300) == [3, 4] * 250


# The classes --------------------------------------------------------------------------------


def project_forms() -> list[type[forms.Form]]:
    """Every Form subclass defined in the project's packages."""
    found = []
    for package in (casework, mediation, arrears):
        for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if "migrations" in module_info.name or module_info.name.endswith(".tests"):
                continue
            module = importlib.import_module(module_info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and obj is not Form
                ):
                    found.append(obj)
    return found


def test_every_form_of_the_project_derives_from_the_hardened_base():
    classes = project_forms()
    assert len(classes) >= 25
    strays = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, Form)]
    assert not strays, f"forms without the shared checks (derive from core.forms.Form): {strays}"


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.converters


def test_no_url_takes_a_number_through_the_unbounded_int_converter():
    patterns = list(_patterns(get_resolver()))
    unbounded = [
        route
        for route, converters in patterns
        if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    assert not unbounded, f"use <id:...> (casework.core.converters): {unbounded}"
    assert sum(1 for _route, c in patterns if c) >= 40


def test_a_far_future_check_does_not_overflow_at_the_edges():
    edge = datetime(9999, 12, 31, 22, 0, tzinfo=UTC)
    with pytest.raises(ActionRefused):
        check_date_bounds(at=edge)
