import pytest
from django.db import IntegrityError
from django.urls import reverse

from casework.core.roles import Role
from casework.organisation.choices import TeamKind, Tier, UnitKind
from casework.organisation.models import Membership, Unit
from casework.organisation.selectors import membership_list_for_user, user_roles
from platforms.models import Company, Representative
from tests.factories.organisation import make_district, make_staff, make_street, make_team

pytestmark = pytest.mark.django_db


def test_only_the_district_may_lack_a_parent():
    make_district()
    with pytest.raises(IntegrityError):
        Unit.objects.create(code="orphan", name="孤儿街道", kind=UnitKind.STREET)


def test_team_tiers_follow_their_kind():
    street = make_street()
    assert make_team(unit=street, kind=TeamKind.MEDIATORS).tier == Tier.TEAM
    assert make_team(unit=street, kind=TeamKind.SERVICE_STATION).tier == Tier.STATION
    assert make_team(unit=make_district(), kind=TeamKind.UNIT_OFFICE).tier == Tier.UNIT


def test_a_membership_role_must_be_a_team_role():
    user = make_staff()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, team=make_team(), role=Role.WORKER)


def test_roles_come_from_memberships_representations_and_the_account():
    coordinator = make_staff(role=Role.COORDINATOR)
    Membership.objects.create(
        user=coordinator, team=make_team(kind=TeamKind.MEDIATORS), role=Role.MEDIATOR
    )
    assert user_roles(user=coordinator) == {Role.COORDINATOR, Role.MEDIATOR}

    rep = make_staff(role=Role.COORDINATOR)
    company = Company.objects.create(name="测试平台", kind="platform", industry="food_delivery")
    Representative.objects.create(user=rep, company=company)
    assert Role.PLATFORM_REPRESENTATIVE in user_roles(user=rep)


def test_membership_list_costs_two_queries_whatever_its_length(django_assert_num_queries):
    user = make_staff()
    for _ in range(5):
        Membership.objects.create(user=user, team=make_team(), role=Role.COORDINATOR)
    with django_assert_num_queries(2):
        memberships = list(membership_list_for_user(user=user))
        names = [
            (m.team.unit.parent.name, [u.name for u in m.team.covers.all()]) for m in memberships
        ]
    assert len(names) == 6


def test_membership_changes_are_kept_in_history():
    membership = Membership.objects.get(user=make_staff())
    membership.role = Role.SUPERVISOR
    membership.save()
    assert [h.role for h in membership.history.order_by("history_id")] == [
        "coordinator",
        "supervisor",
    ]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:casework_user_changelist",
        "admin:casework_unit_changelist",
        "admin:casework_team_changelist",
        "admin:casework_membership_changelist",
        "admin:casework_smsmessage_changelist",
        "admin:casework_onetimecode_changelist",
        "admin:casework_signinlock_changelist",
        "admin:platforms_company_changelist",
        "admin:platforms_representative_changelist",
        "admin:casework_team_add",
        "admin:casework_unit_add",
    ],
)
def test_admins_manage_the_organisation(admin_client, url_name):
    make_team()
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_admins_read_the_database_sms_outbox(admin_client, settings):
    from casework.organisation.sms import send_sms

    settings.ANXIN_SMS_BACKEND = "casework.organisation.sms.backends.database.SmsBackend"
    send_sms(to="13800138001", body="【安薪】测试短信")
    page = admin_client.get(reverse("admin:casework_smsmessage_changelist")).content.decode()
    assert "【安薪】测试短信" in page
