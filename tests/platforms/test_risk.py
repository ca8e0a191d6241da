"""Employer risk: a level from signals, with the reasons in words, its history, the list by
level, and the district supervisors told at once of a move to red."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from casework.core.roles import Role
from casework.governance.services import screening_record, screening_reinspect
from casework.notifications.models import Notification, NotificationKind
from casework.organisation.choices import TeamKind
from platforms.choices import CompanyKind, Industry
from platforms.models import Company
from platforms.risk.models import CompanyRisk, CompanyRiskChange, RiskBand
from platforms.risk.services import risk_recompute
from tests.factories.cases import make_case, make_case_worker, make_org
from tests.factories.organisation import make_staff, make_team

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]

TODAY = date(2026, 12, 7)


@pytest.fixture
def org():
    org = make_org()
    org.a_supervisor = make_staff(
        role=Role.SUPERVISOR,
        team=make_team(unit=org.a.street, kind=TeamKind.UNIT_OFFICE),
        display_name="东城督导",
    )
    return org


def _complaints(org, company, n, street=None):
    """n complaints this month (none the month before: growth), 1,000 yuan each."""
    for _ in range(n):
        make_case(
            worker=make_case_worker(),
            street=street or org.a.street,
            platform=company,
            amount_claimed=Decimal("1000.00"),
        )


def _findings(org, company, items):
    return screening_record(
        actor=org.a.inspector,
        company_id=company.pk,
        unit_id=org.a.street.pk,
        screened_on=TODAY,
        manner="on_site",
        inspector_ids=[org.a.inspector.pk],
        failed={item: "未签订书面协议" for item in items},
        correction_days=5,
    )


def test_a_level_follows_its_signals_and_the_page_says_why(client, org):
    _complaints(org, org.platform, 5)
    risk_recompute()
    # 5 complaints this month (10 points), none before (growth: 15 points): yellow from 15.
    assert CompanyRisk.objects.get(pk=org.platform.pk).level == "yellow"

    screening = _findings(org, org.platform, ["contracts", "social_insurance", "wages_on_time"])
    risk_recompute()
    client.force_login(org.supervisor)
    page = client.get(reverse("risk:company", args=[org.platform.pk])).content.decode()
    assert CompanyRisk.objects.get(pk=org.platform.pk).level == "orange"  # + 20: 45 points
    assert "近30日投诉" in page
    assert "近30日投诉：5（达到 5：10 分）" in page
    assert "尚未整改的排查问题：3（达到 3：20 分）" in page

    screening_reinspect(
        actor=org.a.inspector,
        screening_id=screening.pk,
        reinspected_on=TODAY,
        corrected=["contracts", "social_insurance", "wages_on_time"],
    )
    risk_recompute()
    assert CompanyRisk.objects.get(pk=org.platform.pk).level == "yellow"
    levels = list(
        CompanyRiskChange.objects.filter(company=org.platform)
        .order_by("changed_at", "pk")
        .values_list("previous", "level")
    )
    assert levels == [("none", "yellow"), ("yellow", "orange"), ("orange", "yellow")]
    page = client.get(reverse("risk:company", args=[org.platform.pk])).content.decode()
    why = page.split("<h2>风险原因</h2>")[1].split("<h2>")[0]
    assert "近30日投诉：5" in why and "尚未整改的排查问题" not in why  # corrected: no points
    assert "黄色 → 橙色（45 分）" in page and "橙色 → 黄色（25 分）" in page  # the history


def test_a_move_to_red_tells_the_district_supervisors_once_with_a_page_to_open(client, org):
    RiskBand.objects.filter(level="red").update(min_points=10)
    _complaints(org, org.platform, 5)
    first = risk_recompute()
    again = risk_recompute()
    assert (first.to_red, again.to_red, again.changed) == (1, 0, 0)
    notices = Notification.objects.filter(kind=NotificationKind.RISK_RED)
    assert [n.recipient for n in notices] == [org.supervisor]  # not the street's
    client.force_login(org.supervisor)
    inbox = client.get(reverse("casework:inbox")).content.decode()
    assert org.platform.name in inbox
    opened = client.get(reverse("casework:inbox_open", args=[notices[0].pk]))
    assert opened.url == reverse("risk:company", args=[org.platform.pk])


def test_the_list_filters_by_level_kind_and_street_within_the_supervisors_streets(client, org):
    RiskBand.objects.filter(level="yellow").update(min_points=10)
    east = org.platform
    west = Company.objects.create(
        name="西城跑腿", kind=CompanyKind.OPERATOR, industry=Industry.FOOD_DELIVERY
    )
    _complaints(org, east, 5)
    _complaints(org, west, 5, street=org.b.street)
    risk_recompute()
    client.force_login(org.supervisor)
    everything = client.get(reverse("risk:list")).content.decode()
    assert east.name in everything and west.name in everything
    operators = client.get(reverse("risk:list"), {"kind": "operator"}).content.decode()
    assert west.name in operators and east.name not in operators
    by_street = client.get(reverse("risk:list"), {"street": org.b.street.pk}).content.decode()
    assert west.name in by_street and east.name not in by_street

    client.force_login(org.a_supervisor)
    mine = client.get(reverse("risk:list")).content.decode()
    assert east.name in mine and west.name not in mine
    assert client.get(reverse("risk:company", args=[west.pk])).status_code == 404
    assert client.get(reverse("risk:company", args=[east.pk])).status_code == 200


def test_workers_coordinators_and_representatives_see_no_risk(client, org):
    for user in (org.worker, org.a.coordinator, org.representative):
        client.force_login(user)
        assert client.get(reverse("risk:list")).status_code == 404
        assert client.get(reverse("risk:company", args=[org.platform.pk])).status_code == 404


def test_bad_filters_change_nothing_and_answer_a_page(client, org):
    client.force_login(org.supervisor)
    for query in ({"level": "purple"}, {"street": "99999999"}, {"page": "-1"}):
        assert client.get(reverse("risk:list"), query).status_code == 200
    for query in ({"street": "x\x00"}, {"kind": "\x00"}):  # refused at the edge, not a 500
        assert client.get(reverse("risk:list"), query).status_code == 400


def test_the_list_costs_the_same_queries_for_1_and_30_companies(
    client, org, django_assert_num_queries
):
    RiskBand.objects.filter(level="yellow").update(min_points=10)
    _complaints(org, org.platform, 5)
    risk_recompute()
    client.force_login(org.supervisor)
    client.get(reverse("risk:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("risk:list")).status_code == 200
    for n in range(29):
        company = Company.objects.create(
            name=f"公司{n}", kind=CompanyKind.OPERATOR, industry=Industry.FOOD_DELIVERY
        )
        CompanyRisk.objects.create(company=company, level="orange", points=40)
    with django_assert_num_queries(len(one)):
        page = client.get(reverse("risk:list")).content.decode()
    assert page.count("risk-orange") == 29
