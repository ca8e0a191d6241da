"""Every file that holds a worker's personal data writes one access-log row each time staff open
it: the mediation agreement's PDF and a party's uploaded signed copy (evidence files and
payment proofs are covered in test_personal_data), and the worker then reads who opened it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casework.core.uploads import check_evidence_file
from casework.privacy.models import AccessKind, DataAccess, PersonalField
from mediation.choices import SignatureMethod
from mediation.models import Document
from mediation.services.agreements import SignatureInput, agreement_draw_up, agreement_sign
from tests.factories.cases import make_case, make_org, put_case_in_state
from tests.mediation.conftest import TODAY, hold, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


@pytest.fixture
def signed(django_capture_on_commit_callbacks):
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    case = put_case_in_state(case, "verifying", org.supervisor)
    hold(org, case)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = agreement_draw_up(actor=org.a.mediator, terms=terms_for(case), case_id=case.pk)
    scan = check_evidence_file(SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed\n%%EOF\n"))
    with django_capture_on_commit_callbacks(execute=True):
        for side, case_id, name, method, upload in (
            ("worker", case.pk, "张师傅", SignatureMethod.IN_PERSON, None),
            ("employer", None, "王经理", SignatureMethod.SCAN, scan),
            ("mediator", None, "调解员", SignatureMethod.IN_PERSON, None),
        ):
            agreement_sign(
                actor=org.a.mediator,
                agreement_id=agreement.pk,
                signature=SignatureInput(
                    side=side, case_id=case_id, signer_name=name, method=method, scan=upload
                ),
            )
    return org, case, agreement


def _open(user, url) -> None:
    client = Client()
    client.force_login(user)
    response = client.get(url, headers={"referer": "http://testserver/mediation/case/1/"})
    assert response.status_code == 200, response.status_code
    b"".join(response.streaming_content)


def test_each_opening_of_a_signed_copy_writes_exactly_one_row(signed):
    org, case, agreement = signed
    scan = agreement.signatures.get(side="employer")
    url = reverse("mediation:signature_scan", args=[scan.pk])
    _open(org.a.mediator, url)
    _open(org.a.mediator, url)
    rows = DataAccess.objects.filter(kind=AccessKind.DOCUMENT, field=PersonalField.SIGNED_COPY)
    assert rows.count() == 2, "each opening of the signed copy is one row"
    row = rows.first()
    assert (row.actor, row.case, row.subject) == (org.a.mediator, case, case.worker)
    assert row.page == "/mediation/case/1/"


def test_each_download_of_the_agreement_writes_exactly_one_row_and_the_worker_sees_it(signed):
    org, case, agreement = signed
    document = Document.objects.filter(object_id=agreement.pk, kind="agreement").last()
    url = reverse("mediation:download", args=[document.pk])
    _open(org.a.mediator, url)
    assert DataAccess.objects.filter(kind=AccessKind.DOCUMENT).count() == 1
    _open(org.worker, url)  # their own agreement: not someone else's access to their data
    assert DataAccess.objects.filter(kind=AccessKind.DOCUMENT).count() == 1
    client = Client()
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).text
    assert "调解协议书" in page or "调解协议" in page
    assert org.a.mediators.name in page, "the worker reads which team opened their agreement"
