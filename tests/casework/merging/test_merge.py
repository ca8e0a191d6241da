"""Merging a duplicate into the case that continues, as staff do it on the merge page."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from casework.cases.choices import CaseState
from casework.cases.models import Case, CaseNote, CaseParty, Evidence
from casework.cases.services.handling import case_add_note
from casework.core.errors import ActionRefused, CaseNotFound
from casework.core.uploads import check_evidence_file
from casework.merging.models import CaseMerge
from casework.merging.services import case_merge
from casework.organisation.models import User
from casework.timeline.models import CaseEvent
from platforms.choices import CompanyKind
from tests.concurrency import run_together
from tests.factories.cases import (
    REASON,
    make_case,
    make_org,
    put_case_in_state,
)
from tests.factories.seeds import restore_seeded_rows

pytestmark = pytest.mark.now("2026-04-20")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def org(db):
    return make_org()


def jpeg(name: str) -> object:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buffer, "JPEG")
    return check_evidence_file(
        SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
    )


def duplicates(org, *, street_b=False):
    """Two complaints by the same worker against the same platform; the second names the
    operator too, claims more, and carries two files and two notes."""
    survivor = make_case(
        worker=org.worker, street=org.a.street, platform=org.platform, files=[jpeg("a.jpg")]
    )
    from casework.intake.services import PartyInput

    merged = make_case(
        worker=org.worker,
        street=org.b.street if street_b else org.a.street,
        platform=org.platform,
        amount_claimed=Decimal("4200.00"),
        parties=[
            PartyInput(kind=CompanyKind.PLATFORM, company=org.platform),
            PartyInput(kind=CompanyKind.OPERATOR, company=org.operator),
        ],
        files=[jpeg("b1.jpg"), jpeg("b2.jpg")],
    )
    staff = org.b.coordinator if street_b else org.a.coordinator
    for body in ("工人来电补充材料。", "站点负责人承认欠款。"):
        case_add_note(actor=staff, case_id=merged.pk, body=body, is_public=False)
    case_add_note(actor=org.a.coordinator, case_id=survivor.pk, body="已受理核查。", is_public=True)
    return survivor, merged


def history_ids(*cases) -> set[tuple[str, int]]:
    ids = set()
    for model in (Case, Evidence, CaseNote, CaseParty):
        for row in model.history.filter(
            **(
                {"id__in": [c.pk for c in cases]}
                if model is Case
                else {"case_id__in": [c.pk for c in cases]}
            )
        ).values_list("history_id", flat=True):
            ids.add((model.__name__, row))
    return ids


def test_merging_keeps_every_file_note_and_history_row_of_both_cases(
    org, sms_outbox, django_capture_on_commit_callbacks
):
    survivor, merged = duplicates(org)
    files = set(Evidence.objects.filter(case__in=[survivor, merged]).values_list("pk", flat=True))
    notes = set(CaseNote.objects.filter(case__in=[survivor, merged]).values_list("pk", flat=True))
    history_before = history_ids(survivor, merged)
    events_before = set(
        CaseEvent.objects.filter(case__in=[survivor, merged]).values_list("pk", flat=True)
    )
    assert len(files) == 3 and len(notes) == 3
    sms_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        case_merge(
            actor=org.a.coordinator,
            merged_id=merged.pk,
            survivor_id=survivor.pk,
            reason="同一工人重复投诉同一平台。",
            keep={"amount_claimed": "merged"},
        )

    assert set(Evidence.objects.filter(case=survivor).values_list("pk", flat=True)) == files
    assert set(CaseNote.objects.filter(case=survivor).values_list("pk", flat=True)) == notes
    # Nothing of either case's history or timeline is lost: every row is still there.
    assert history_before <= history_ids(survivor, merged)
    assert events_before <= set(
        CaseEvent.objects.filter(case__in=[survivor, merged]).values_list("pk", flat=True)
    )
    survivor, merged = Case.objects.get(pk=survivor.pk), Case.objects.get(pk=merged.pk)
    assert survivor.amount_claimed == Decimal("4200.00"), "the amount chosen from the duplicate"
    assert [p.company for p in survivor.parties.order_by("position")] == [
        org.platform,
        org.operator,
    ], "the operator only the duplicate named joins the chain"
    assert merged.state == CaseState.MERGED
    latest = merged.history.order_by("-history_id").first()
    assert latest.history_user_id == org.a.coordinator.pk
    assert latest.history_change_reason == "merge: 同一工人重复投诉同一平台。"
    assert CaseMerge.objects.get(merged=merged).survivor == survivor
    assert not merged.deadlines.filter(status="running").exists(), "its clocks ended"
    texts = [m.body for m in sms_outbox if m.to == org.worker.mobile]
    assert any(survivor.reference in t and f"/cases/{survivor.pk}/" in t for t in texts), texts


def test_the_merged_case_page_leads_to_the_survivor(org, client):
    survivor, merged = duplicates(org)
    case_merge(actor=org.a.coordinator, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON)
    for user in (org.worker, org.a.coordinator):
        client.force_login(user)
        page = client.get(reverse("casework:case_detail", args=[merged.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert f'href="/cases/{survivor.pk}/"' in text and survivor.reference in text
    client.force_login(org.worker)
    survivor_page = client.get(reverse("casework:case_detail", args=[survivor.pk])).content
    assert merged.reference in survivor_page.decode(), "the survivor links to the duplicate"


def test_staff_who_cannot_see_both_cases_get_404(org, client):
    survivor, merged = duplicates(org, street_b=True)  # street A and street B
    with pytest.raises(CaseNotFound):
        case_merge(
            actor=org.a.coordinator, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON
        )
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON, "expected_state": "submitted"}).status_code == 404
    assert Case.objects.get(pk=merged.pk).state == CaseState.SUBMITTED
    # A supervisor over both streets may merge them.
    case_merge(actor=org.supervisor, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON)
    assert Case.objects.get(pk=merged.pk).state == CaseState.MERGED


@pytest.mark.parametrize(
    "setup, words",
    [
        ("merged_already", "已被合并"),
        ("concluded", "已办结"),
        ("other_worker", "不同工人"),
        ("itself", "不能与自身合并"),
    ],
)
def test_refusals_say_why_and_change_nothing(org, setup, words):
    survivor, merged = duplicates(org)
    if setup == "merged_already":
        third = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
        case_merge(actor=org.supervisor, merged_id=merged.pk, survivor_id=third.pk, reason=REASON)
    elif setup == "concluded":
        merged = put_case_in_state(
            make_case(worker=org.worker, street=org.a.street), "resolved", org.supervisor
        )
    elif setup == "other_worker":
        merged = make_case(worker=org.other_worker, street=org.a.street, platform=org.platform)
    elif setup == "itself":
        merged = survivor
    before = (Evidence.objects.filter(case=survivor).count(), survivor.history.count())
    with pytest.raises(ActionRefused) as refusal:
        case_merge(
            actor=org.a.coordinator, merged_id=merged.pk, survivor_id=survivor.pk, reason=REASON
        )
    assert words in refusal.value.message
    assert before == (Evidence.objects.filter(case=survivor).count(), survivor.history.count())


def test_the_merge_page_lists_the_worker_s_other_open_cases_and_merges(org, client):
    survivor, merged = duplicates(org)
    client.force_login(org.a.coordinator)
    start = client.get(reverse("casework:case_merge", args=[survivor.pk]))
    assert start.status_code == 200 and merged.reference in start.content.decode()
    chosen = client.post(
        reverse("casework:case_merge", args=[survivor.pk]),
        {"reference": merged.reference.lower(), "keep": "this"},
    )
    preview_url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    assert chosen.status_code == 302 and chosen["Location"] == preview_url
    preview = client.get(preview_url).content.decode()
    assert "4,200.00" in preview or "4200.00" in preview, "both values side by side"
    done = client.post(
        preview_url,
        {"expected_state": "submitted", "reason": "重复投诉", "keep_description": "merged"},
    )
    assert done.status_code == 302
    assert Case.objects.get(pk=merged.pk).state == CaseState.MERGED


@pytest.mark.parametrize(
    "data",
    [
        {"expected_state": "submitted", "reason": ""},
        {"expected_state": "submitted", "reason": "重复\x00投诉"},
        {"expected_state": "submitted", "reason": "重复", "keep_category": "bogus"},
        {"expected_state": "nonsense", "reason": "重复"},
        {"expected_state": "accepted", "reason": "重复"},  # someone moved the case meanwhile
    ],
)
def test_bad_input_on_the_preview_changes_nothing(org, client, data):
    survivor, merged = duplicates(org)
    before = (merged.history.count(), Evidence.objects.filter(case=merged).count())
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    response = client.post(url, data)
    # The preview again with the reason (a NUL byte is refused at the door: 400).
    assert response.status_code in (200, 400)
    assert Case.objects.get(pk=merged.pk).state == CaseState.SUBMITTED
    assert before == (merged.history.count(), Evidence.objects.filter(case=merged).count())


def test_the_preview_reads_a_fixed_number_of_queries(org, client, django_assert_max_num_queries):
    survivor, merged = duplicates(org)
    client.force_login(org.a.coordinator)
    url = reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_worker_and_other_streets_cannot_open_the_merge_pages(org, client):
    survivor, merged = duplicates(org)
    for user in (org.worker, org.b.coordinator, org.representative):
        client.force_login(user)
        for url in (
            reverse("casework:case_merge", args=[survivor.pk]),
            reverse("casework:case_merge_preview", args=[merged.pk, survivor.pk]),
            reverse("casework:case_split", args=[survivor.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_merges_of_the_same_pair_at_once_one_wins():
    restore_seeded_rows()
    org = make_org()
    first = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    second = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    coordinator_id, supervisor_id = org.a.coordinator.pk, org.supervisor.pk

    def merge(actor_id, merged, survivor):
        def call():
            actor = User.objects.get(pk=actor_id)
            return case_merge(
                actor=actor, merged_id=merged.pk, survivor_id=survivor.pk, reason="重复"
            ).pk

        return call

    results = run_together(
        [merge(coordinator_id, first, second), merge(supervisor_id, second, first)]
    )
    winners = [value for ok, value in results if ok]
    losers = [value for ok, value in results if not ok]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ActionRefused), repr(losers[0])
    states = sorted(
        Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == ["merged", "submitted"]
    assert CaseMerge.objects.count() == 1
