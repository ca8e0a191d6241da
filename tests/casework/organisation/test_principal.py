"""The signed-in user, their scope and their unread count are kept between requests
(casework/organisation/principal.py), and every change to them shows on the next request."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.core.roles import Role
from casework.notifications.models import NotificationKind
from casework.notifications.services import notification_mark_all_read, notify
from casework.organisation.models import Membership
from tests.factories.cases import make_case, make_case_worker, make_org
from tests.factories.organisation import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def case(org):
    return make_case(worker=org.worker, street=org.a.street, platform=org.platform)


def _tables_read(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return {
        table
        for query in captured.captured_queries
        for table in ("casework_user", "casework_membership", "casework_notification")
        if f'FROM "{table}"' in query["sql"]
    }


def test_a_second_page_reads_neither_the_user_nor_their_teams_nor_their_inbox(client, org, case):
    client.force_login(org.a.coordinator)
    page = reverse("casework:case_detail", args=[case.pk])
    assert _tables_read(client, page) >= {"casework_user", "casework_membership"}
    assert not _tables_read(client, page) & {"casework_membership", "casework_notification"}
    assert client.get(reverse("casework:queue")).status_code == 200
    assert not _tables_read(client, reverse("casework:queue"))


def test_a_removed_membership_takes_the_case_away_on_the_next_request(client, org, case):
    client.force_login(org.a.coordinator)
    page = reverse("casework:case_detail", args=[case.pk])
    assert client.get(page).status_code == 200
    Membership.objects.filter(user=org.a.coordinator).delete()
    assert client.get(page).status_code == 404


def test_a_street_no_longer_covered_is_out_of_sight_on_the_next_request(client, org, case):
    client.force_login(org.a.station_coordinator)
    page = reverse("casework:case_detail", args=[case.pk])
    assert client.get(page).status_code == 200
    case.team = org.b.coordinators  # the station sees it only as its street's case
    case.save(update_fields=["team"])
    assert client.get(page).status_code == 200
    org.a.station.covers.remove(org.a.street)
    assert client.get(page).status_code == 404
    org.a.station.covers.add(org.a.street)
    assert client.get(page).status_code == 200


def test_a_deactivated_account_is_signed_out_on_the_next_request(client, org):
    client.force_login(org.a.coordinator)
    assert client.get(reverse("casework:queue")).status_code == 200
    org.a.coordinator.is_active = False
    org.a.coordinator.save()
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_changed_password_signs_out_the_sessions_opened_before(client, org):
    client.force_login(org.a.coordinator)
    assert client.get(reverse("casework:queue")).status_code == 200
    org.a.coordinator.set_password("a whole new passphrase 2026")
    org.a.coordinator.save(update_fields=["password"])
    assert client.get(reverse("casework:queue")).status_code == 302


def test_the_unread_badge_follows_new_and_read_notifications(client, org, case):
    client.force_login(org.a.coordinator)
    notification_mark_all_read(actor=org.a.coordinator)

    def badge() -> str:
        page = client.get(reverse("casework:queue")).content.decode()
        return page.split('id="unread-badge" data-count="', 1)[1].split('"', 1)[0]

    assert badge() == "0"
    notify(recipients=[org.a.coordinator], kind=NotificationKind.ASSIGNED, case=case)
    assert badge() == "1"
    notify(recipients=[org.a.coordinator], kind=NotificationKind.ASSIGNED, case=case)
    assert badge() == "2"
    notification_mark_all_read(actor=org.a.coordinator)
    assert badge() == "0"


def test_a_renamed_colleague_shows_under_the_new_name_in_the_assign_list(client, org, case):
    colleague = make_staff(role=Role.MEDIATOR, team=org.a.coordinators, display_name="老同事")
    client.force_login(org.a.coordinator)
    assert "老同事" in client.get(reverse("casework:queue")).content.decode()
    colleague.display_name = "王调解"
    colleague.save(update_fields=["display_name"])
    page = client.get(reverse("casework:queue")).content.decode()
    assert "王调解" in page and "老同事" not in page


def test_new_workers_signing_up_do_not_make_staff_pages_read_their_teams_again(client, org):
    client.force_login(org.a.coordinator)
    client.get(reverse("casework:queue"))
    make_case_worker("新来的骑手")
    assert "casework_membership" not in _tables_read(client, reverse("casework:queue"))


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    },
    SESSION_ENGINE="django.contrib.sessions.backends.db",
)
def test_without_a_cache_every_request_reads_the_database_and_still_answers(client, org, case):
    client.force_login(org.a.coordinator)
    page = reverse("casework:case_detail", args=[case.pk])
    assert client.get(page).status_code == 200
    assert {"casework_user", "casework_membership"} <= _tables_read(client, page)
    Membership.objects.filter(user=org.a.coordinator).delete()
    assert client.get(page).status_code == 404


def test_a_colleague_who_joins_the_team_can_be_assigned_the_case_at_once(client, org, case):
    client.force_login(org.a.coordinator)
    page = reverse("casework:case_detail", args=[case.pk])
    assert "新同事" not in client.get(page).content.decode()
    newcomer = make_staff(role=Role.MEDIATOR, team=case.team, display_name="新同事")
    assert f'<option value="{newcomer.pk}">新同事</option>' in client.get(page).content.decode()
    Membership.objects.filter(user=newcomer).delete()
    assert "新同事" not in client.get(page).content.decode()


def test_a_removed_membership_stops_the_next_change_too(client, org, case):
    """The statement that locks a case for a change is kept while the actor's scope stands
    (Case.objects.lock_for): the change after the membership is gone answers 404."""
    client.force_login(org.a.coordinator)
    note = reverse("casework:case_note", args=[case.pk])
    client.post(note, {"body": "第一次联系", "is_public": ""})
    client.post(note, {"body": "第二次联系", "is_public": ""})
    assert case.notes.count() == 2
    Membership.objects.filter(user=org.a.coordinator).delete()
    assert client.post(note, {"body": "不应记录", "is_public": ""}).status_code == 404
    assert case.notes.count() == 2
