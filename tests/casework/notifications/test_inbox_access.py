"""One's inbox only: another person's notification id answers 404 and changes nothing."""

import pytest
from django.urls import reverse

from casework.notifications.models import Notification, NotificationKind
from casework.notifications.services import notify
from tests.factories.cases import make_case, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-13", hour=10)]


def test_marking_someone_elses_notification_read_is_a_404(client):
    org = make_org()
    case = make_case(worker=org.other_worker, street=org.b.street, platform=org.platform)
    [theirs] = notify(
        recipients=[org.other_worker],
        kind=NotificationKind.MEDIATION_SCHEDULED,
        case=case,
        params={"when": "2026-04-15 09:00", "place": "西城街道调解室"},
    )

    client.force_login(org.worker)
    response = client.post(reverse("casework:inbox_read", args=[theirs.pk]))

    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    # ... while the other worker marks it read
    client.force_login(org.other_worker)
    assert client.post(reverse("casework:inbox_read", args=[theirs.pk])).status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is not None
