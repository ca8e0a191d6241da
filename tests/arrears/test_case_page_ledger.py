"""The ledger panel of the case page reads what the page has read already: the case's files
(the verified amount's basis is named by key with its row), and the case's own word on which
of its lists have rows (payments, payment orders)."""

import pytest
from django.urls import reverse

from arrears.services.verified import verified_amount_set
from casework.cases.models import Evidence
from casework.merging.services import case_merge
from tests.casework.merging.test_merge import duplicates, media_root  # noqa: F401
from tests.factories.cases import REASON, make_org

pytestmark = pytest.mark.django_db


def verified_basis(page: str) -> str:
    return page.split('data-testid="ledger-verified">')[1].split("</dd>")[0]


def test_the_case_page_names_the_files_of_the_verified_amount_even_once_they_moved(client):
    org = make_org()
    survivor, merged = duplicates(org)
    files = list(Evidence.objects.filter(case=merged).order_by("pk"))
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=merged.pk,
        amount="3800.00",
        period_start="2026-03-01",
        period_end="2026-03-31",
        evidence_ids=[f.pk for f in files],
    )
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_detail", args=[merged.pk])
    before = verified_basis(client.get(url).content.decode())
    assert [f.original_name for f in files] == ["b1.jpg", "b2.jpg"]
    assert before.index("b1.jpg") < before.index("b2.jpg"), "both files, in the order filed"

    # The merge moves the files to the survivor; the duplicate's verified amount still names
    # them, though the page no longer lists them among its own files.
    case_merge(
        actor=org.a.coordinator,
        merged_id=merged.pk,
        survivor_id=survivor.pk,
        reason=REASON,
        keep={},
    )
    assert verified_basis(client.get(url).content.decode()) == before


def test_a_worker_reads_the_same_basis_on_their_page(client):
    org = make_org()
    _survivor, case = duplicates(org)
    file = Evidence.objects.filter(case=case).order_by("pk").first()
    verified_amount_set(
        actor=org.a.coordinator,
        case_id=case.pk,
        amount="3800.00",
        period_start="2026-03-01",
        period_end="2026-03-31",
        evidence_ids=[file.pk],
    )
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    basis = verified_basis(page)
    assert file.original_name in basis and "b2.jpg" not in basis
    assert reverse("casework:evidence_file", args=[case.pk, file.pk]) in basis
