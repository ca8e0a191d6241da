"""In production documents render in the django-tasks-db worker: until it runs, the user sees
the document being prepared, and nothing waits in the request."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from mediation.documents.choices import DocumentStatus
from mediation.documents.services import document_request
from tests.mediation.conftest import TODAY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.now(TODAY, hour=10)]


@pytest.fixture
def database_tasks(settings):
    # django.tasks resets its backends when TASKS changes (setting_changed)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def test_the_document_is_pending_until_the_worker_renders_it(agreement, org, database_tasks):
    document = document_request(actor=org.a.mediator, subject=agreement, kind_key="agreement")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING

    client = Client()
    client.force_login(org.a.mediator)
    status = client.get(reverse("mediation:document_status", args=[document.pk]))
    assert 'data-status="pending"' in status.content.decode()
    assert client.get(reverse("mediation:download", args=[document.pk])).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    status = client.get(reverse("mediation:document_status", args=[document.pk]))
    assert "Download PDF" in status.content.decode() or "下载" in status.content.decode()
