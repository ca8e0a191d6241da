"""Hazard screenings, campaigns, outreach and round tables, as inspectors and supervisors
record and read them: in their own streets only; bad input changes nothing."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.core.roles import Role
from casework.governance.models import Campaign, Commitment, RoundTable, Screening
from casework.governance.services import campaign_create, screening_record
from casework.organisation.choices import TeamKind
from tests.factories.cases import make_org
from tests.factories.organisation import make_staff, make_team

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-07", hour=10)]

TODAY = date(2026, 12, 7)  # a Monday


@pytest.fixture
def org():
    org = make_org()
    for street in (org.a, org.b):
        street.supervisor = make_staff(
            role=Role.SUPERVISOR,
            team=make_team(unit=street.street, kind=TeamKind.UNIT_OFFICE),
            display_name="街道督导",
        )
    return org


def _form(org, **changes):
    data = {
        "company": org.platform.pk,
        "unit": org.a.street.pk,
        "screened_on": "2026-12-07",
        "manner": "on_site",
        "inspectors": [org.a.inspector.pk],
        "failed": ["contracts", "injury_protection"],
        "finding_note": "骑手未签书面协议",
        "correction_days": "5",
        "campaign": "",
        "note": "",
    }
    data.update(changes)
    return data


def _record(org, street=None, **changes):
    street = street or org.a
    return screening_record(
        actor=street.inspector,
        company_id=org.platform.pk,
        unit_id=street.street.pk,
        screened_on=changes.pop("screened_on", TODAY),
        manner="online",
        inspector_ids=[street.inspector.pk],
        failed=changes.pop("failed", {"contracts": ""}),
        correction_days=5,
        **changes,
    )


def test_an_inspector_records_a_screening_with_a_working_day_deadline(client, org):
    client.force_login(org.a.inspector)
    response = client.post(reverse("governance:screening_new"), _form(org))
    screening = Screening.objects.get()
    assert response.status_code == 302
    # 5 working days after Monday 7 December: Monday 14 December.
    assert screening.correction_due == date(2026, 12, 14)
    assert screening.status == "correcting"
    page = client.get(response.url).content.decode()
    assert "限期整改中" in page and "2026-12-14" in page and "还剩 5 个工作日" in page
    assert page.count("问题未整改") == 2 and "骑手未签书面协议" in page


def test_reinspection_closes_the_findings_and_a_second_one_is_told_why(client, org):
    screening = _record(org)
    client.force_login(org.a.inspector)
    url = reverse("governance:screening_detail", args=[screening.pk])
    form = {"reinspected_on": "2026-12-07", "corrected": ["contracts"], "note": "已补签"}
    assert client.post(url, form).status_code == 302
    screening.refresh_from_db()
    assert screening.status == "corrected"
    again = client.post(url, form, follow=True).content.decode()
    assert "本次排查已没有待整改的问题" in again


def test_a_street_supervisor_sees_no_other_streets_screenings(client, org):
    west = _record(org, street=org.b)
    east = _record(org)
    client.force_login(org.a.supervisor)
    listing = client.get(reverse("governance:screenings")).content.decode()
    assert reverse("governance:screening_detail", args=[east.pk]) in listing
    assert reverse("governance:screening_detail", args=[west.pk]) not in listing
    assert client.get(reverse("governance:screening_detail", args=[west.pk])).status_code == 404
    # ... and cannot re-inspect it by posting to it.
    response = client.post(
        reverse("governance:screening_detail", args=[west.pk]),
        {"reinspected_on": "2026-12-07", "corrected": ["contracts"]},
    )
    assert response.status_code == 404
    assert Screening.objects.get(pk=west.pk).status == "correcting"
    client.force_login(org.supervisor)  # the district's sees both
    listing = client.get(reverse("governance:screenings")).content.decode()
    assert reverse("governance:screening_detail", args=[west.pk]) in listing


@pytest.mark.parametrize(
    "changes",
    [
        {"unit": "STREET_B"},  # another street's
        {"company": "999999999"},  # no such company
        {"inspectors": ["999999999"]},
        {"screened_on": "2026-12-31"},  # the future
        {"screened_on": "9999-01-01"},
        {"screened_on": "2026-02-30"},
        {"finding_note": "问题\x00"},
        {"correction_days": "0"},
        {"correction_days": "-5"},
        {"correction_days": ""},
        {"failed": ["forged_item"]},
        {"manner": "by_telepathy"},
    ],
)
def test_bad_input_records_nothing(client, org, changes):
    if changes.get("unit") == "STREET_B":
        changes["unit"] = org.b.street.pk
    client.force_login(org.a.inspector)
    response = client.post(reverse("governance:screening_new"), _form(org, **changes))
    assert response.status_code in (200, 400, 404)
    assert not Screening.objects.exists()


def test_a_campaign_shows_its_progress_and_results(client, org):
    other = org.operator
    campaign = campaign_create(
        actor=org.supervisor,
        name="新就业形态用工专项整治",
        unit_id=org.district.pk,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
        target_ids=[org.platform.pk, other.pk],
    )
    _record(org, campaign_id=campaign.pk)
    client.force_login(org.a.supervisor)  # a district campaign carried out in their street
    page = client.get(reverse("governance:campaign_detail", args=[campaign.pk])).content.decode()
    assert "1 / 2（50%）" in page or "1 / 2 (50%)" in page
    assert "尚未排查：登记排查" in page
    client.force_login(org.supervisor)
    client.post(
        reverse("governance:campaign_detail", args=[campaign.pk]), {"results": "签订协议 12 份"}
    )
    assert Campaign.objects.get().results == "签订协议 12 份"
    client.force_login(org.a.supervisor)  # not theirs to write
    response = client.post(
        reverse("governance:campaign_detail", args=[campaign.pk]), {"results": "改写"}
    )
    assert response.status_code == 404 and Campaign.objects.get().results == "签订协议 12 份"


def test_round_table_commitments_are_tracked_until_kept(client, org):
    client.force_login(org.a.supervisor)
    response = client.post(
        reverse("governance:round_tables"),
        {
            "unit": org.a.street.pk,
            "held_on": "2026-11-02",
            "topic": "骑手休息保障圆桌会",
            "participants": "平台、站点、骑手代表",
            "minutes": "讨论了恶劣天气下的配送时限。",
        },
    )
    meeting = RoundTable.objects.get()
    assert response.status_code == 302
    url = reverse("governance:round_table_detail", args=[meeting.pk])
    client.post(
        url,
        {
            "party": "速达外卖",
            "company": org.platform.pk,
            "promise": "设立骑手驿站",
            "due_on": "2026-11-30",
        },
    )
    commitment = Commitment.objects.get()
    home = client.get(reverse("governance:home")).content.decode()
    assert "设立骑手驿站" in home and "逾期未兑现的承诺" in home
    client.force_login(org.b.supervisor)  # another street's: nothing to see or mark
    kept = reverse("governance:commitment_kept", args=[commitment.pk])
    assert client.post(kept, {"kept_on": "2026-12-01"}).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(org.a.supervisor)
    client.post(kept, {"kept_on": "2026-12-01"})
    assert Commitment.objects.get().kept_on == date(2026, 12, 1)
    assert "设立骑手驿站" not in client.get(reverse("governance:home")).content.decode()


def test_outreach_adds_up_who_was_reached(client, org):
    client.force_login(org.a.coordinator)
    for topic, companies, workers in (("讲堂一", 30, 200), ("讲堂二", 20, 150)):
        client.post(
            reverse("governance:outreach"),
            {"unit": org.a.street.pk, "held_on": "2026-12-01", "topic": topic,
             "companies_reached": companies, "workers_reached": workers},
        )  # fmt: skip
    page = client.get(reverse("governance:outreach")).content.decode()
    assert "共举办 2 场，覆盖 50 家企业、350 名劳动者" in page
    bad = {"unit": org.a.street.pk, "held_on": "2026-12-01", "topic": "x",
           "companies_reached": -1, "workers_reached": 10**12}  # fmt: skip
    client.post(reverse("governance:outreach"), bad)
    assert "共举办 2 场" in client.get(reverse("governance:outreach")).content.decode()


def test_workers_and_representatives_see_no_governance(client, org):
    for user in (org.worker, org.representative):
        client.force_login(user)
        for name in ("home", "screenings", "campaigns", "outreach", "round_tables"):
            assert client.get(reverse(f"governance:{name}")).status_code == 404


@pytest.mark.parametrize("name", ["screenings", "round_tables", "campaigns"])
def test_lists_cost_the_same_queries_for_1_and_20_rows(client, org, name):
    campaign = campaign_create(
        actor=org.supervisor, name="整治", unit_id=org.district.pk, starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31), target_ids=[org.platform.pk],
    )  # fmt: skip

    def add_one(day=[0]):  # noqa: B006 (a counter: one screening a day, each recorded once)
        day[0] += 1
        _record(org, campaign_id=campaign.pk, screened_on=TODAY - timedelta(days=day[0]))
        RoundTable.objects.create(
            unit=org.a.street, held_on=TODAY, topic="会", participants="甲",
            minutes="纪要", recorded_by=org.a.supervisor,
        )  # fmt: skip
        Campaign.objects.create(
            name="另一整治", unit=org.district, starts_on=TODAY, ends_on=TODAY,
            created_by=org.supervisor,
        )  # fmt: skip

    add_one()
    client.force_login(org.a.supervisor)
    url = reverse(f"governance:{name}")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(19):
        add_one()
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty) == len(one)


def test_a_screening_sent_twice_is_recorded_once_and_the_second_told_why(client, org):
    client.force_login(org.a.inspector)
    client.post(reverse("governance:screening_new"), _form(org))
    again = client.post(reverse("governance:screening_new"), _form(org))
    assert Screening.objects.count() == 1
    assert "已经登记过，无需重复提交" in again.content.decode()
