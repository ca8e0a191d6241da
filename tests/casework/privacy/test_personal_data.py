"""Workers' personal data is masked where a role does not need it; staff who do click "show",
and each reveal and each evidence opening writes exactly one row of the access log, which the
worker reads as "who opened my data" and supervisors read in the audit browser."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from PIL import Image

from casework.core.roles import Role
from casework.core.uploads import check_evidence_file
from casework.privacy.models import AccessKind, DataAccess, PersonalField
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.factories.organisation import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-03T10:00+08:00")]

ID_NUMBER = "11010519491231002X"


def jpeg(name="pay.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world():
    org = make_org()
    east = make_case(
        worker=org.worker,
        street=org.a.street,
        platform=org.platform,
        worker_name="张师傅",
        worker_id_number=ID_NUMBER,
        consent_to_share=True,
        files=[check_evidence_file(jpeg())],
    )
    west = make_case(
        worker=org.other_worker, street=org.b.street, platform=org.platform, worker_name="李师傅"
    )
    put_case_in_state(east, "accepted", org.a.coordinator)
    org.street_supervisor = make_staff(role=Role.SUPERVISOR, team=org.a.coordinators)
    return org, east, west


def _page(client, case):
    response = client.get(reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "street_supervisor", "admin"])
def test_the_staff_case_page_masks_mobile_and_id_number(client, world, who):
    org, east, _west = world
    user = {
        "coordinator": org.a.coordinator,
        "supervisor": org.supervisor,
        "street_supervisor": org.street_supervisor,
        "admin": org.admin,
    }[who]
    client.force_login(user)
    text = _page(client, east)
    mobile = org.worker.mobile
    assert mobile not in text, f"the {who} read the worker's mobile without asking"
    assert f"{mobile[:3]}****{mobile[-4:]}" in text
    assert ID_NUMBER not in text and "110105********002X" in text
    # who handles the case reads the name; who oversees it sees it masked
    assert ("张师傅" in text) == (who == "coordinator")
    assert not DataAccess.objects.exists(), "reading a page is not an access"


def test_the_platform_representative_reads_only_masked_data(client, world):
    org, east, _west = world
    client.force_login(org.representative)
    text = client.get(reverse("portal:case", args=[east.pk])).text
    assert org.worker.mobile not in text and ID_NUMBER not in text and "张师傅" not in text
    # no "show" for them
    url = reverse("casework:case_reveal", args=[east.pk, PersonalField.MOBILE])
    assert client.post(url).status_code == 404
    assert not DataAccess.objects.exists()


def test_lists_mask_workers_names(client, world):
    org, east, _west = world
    neighbour = make_case(
        worker=org.other_worker, street=org.a.street, platform=org.platform, worker_name="王师傅"
    )
    for user in (org.a.coordinator, org.supervisor):
        client.force_login(user)
        related = client.get(reverse("casework:case_related", args=[east.pk]))
        assert related.status_code == 200
        assert neighbour.reference in related.text
        assert "王师傅" not in related.text and "王*" in related.text


@pytest.mark.parametrize("field", [PersonalField.MOBILE, PersonalField.ID_NUMBER])
def test_a_reveal_shows_the_value_once_and_writes_exactly_one_row(client, world, field):
    org, east, _west = world
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_reveal", args=[east.pk, field])
    page = reverse("casework:case_detail", args=[east.pk])
    response = client.post(url, {"page": page})
    assert response.status_code == 302
    value = org.worker.mobile if field == PersonalField.MOBILE else ID_NUMBER
    assert value in _page(client, east)
    assert value not in _page(client, east), "shown once, masked again on the next visit"
    row = DataAccess.objects.get()
    assert (row.actor, row.kind, row.field, row.case_id, row.subject) == (
        org.a.coordinator,
        AccessKind.REVEAL,
        field,
        east.pk,
        org.worker,
    )
    assert row.page == page and row.team == org.a.coordinators


def test_a_supervisor_reveals_the_name_and_it_is_logged(client, world):
    org, east, _west = world
    client.force_login(org.street_supervisor)
    client.post(reverse("casework:case_reveal", args=[east.pk, PersonalField.NAME]))
    assert "张师傅" in _page(client, east)
    assert DataAccess.objects.filter(kind=AccessKind.REVEAL).count() == 1


@pytest.mark.parametrize("field", ["mobile", "password", "worker_id_number"])
def test_no_reveal_of_another_streets_case_or_of_an_unknown_field(client, world, field):
    org, _east, west = world
    client.force_login(org.a.coordinator)
    response = client.post(reverse("casework:case_reveal", args=[west.pk, field]))
    assert response.status_code == 404
    assert not DataAccess.objects.exists()


def test_each_evidence_download_writes_exactly_one_row(client, world):
    org, east, _west = world
    evidence = east.evidence.get()
    url = reverse("casework:evidence_file", args=[east.pk, evidence.pk])
    client.force_login(org.a.coordinator)
    for expected in (1, 2):
        response = client.get(url, {"download": "1"})
        assert response.status_code == 200
        b"".join(response.streaming_content)
        assert DataAccess.objects.filter(kind=AccessKind.EVIDENCE).count() == expected
    client.force_login(org.representative)
    response = client.get(reverse("portal:evidence", args=[east.pk, evidence.pk]))
    assert response.status_code == 200
    assert DataAccess.objects.filter(kind=AccessKind.EVIDENCE).count() == 3
    # the worker opening their own file is not someone else reading their data
    client.force_login(org.worker)
    assert client.get(url).status_code == 200
    assert DataAccess.objects.filter(kind=AccessKind.EVIDENCE).count() == 3
    # nor is a refused request
    client.force_login(org.b.coordinator)
    assert client.get(url).status_code == 404
    assert DataAccess.objects.filter(kind=AccessKind.EVIDENCE).count() == 3


def test_the_staff_page_does_not_open_evidence_by_itself(client, world):
    org, east, _west = world
    client.force_login(org.a.coordinator)
    text = _page(client, east)
    assert "<img" not in text.split('class="evidence-list"')[1].split("</ul>")[0]


def test_the_worker_reads_which_teams_opened_their_data(client, world):
    org, east, _west = world
    client.force_login(org.a.coordinator)
    client.post(reverse("casework:case_reveal", args=[east.pk, PersonalField.MOBILE]))
    client.force_login(org.worker)
    text = _page(client, east)
    assert east.team.name in text
    assert "手机号码" in text or "mobile" in text
    assert org.a.coordinator.display_name not in text.split("openings-title")[1]


def test_a_street_supervisor_reads_only_their_streets_access_log(client, world):
    org, east, west = world
    client.force_login(org.a.coordinator)
    client.post(reverse("casework:case_reveal", args=[east.pk, PersonalField.MOBILE]))
    client.force_login(org.b.coordinator)
    client.post(reverse("casework:case_reveal", args=[west.pk, PersonalField.MOBILE]))
    assert DataAccess.objects.count() == 2
    client.force_login(org.street_supervisor)
    text = client.get(reverse("casework:audit_access_log")).text
    assert east.reference in text and west.reference not in text
    client.force_login(org.supervisor)
    text = client.get(reverse("casework:audit_access_log")).text
    assert east.reference in text and west.reference in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql", ["UPDATE casework_dataaccess SET page = '/x/'", "DELETE FROM casework_dataaccess"]
)
def test_the_access_log_is_append_only(client, world, sql):
    org, east, _west = world
    client.force_login(org.a.coordinator)
    client.post(reverse("casework:case_reveal", args=[east.pk, PersonalField.MOBILE]))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert DataAccess.objects.get().page != "/x/"
