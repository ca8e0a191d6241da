"""What a court, a worker, the employer and a stranger with the code each read on an agreement:
its number and issuer, the parties' full names, the signed version, the current status."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.core.errors import ActionRefused
from casework.core.uploads import check_evidence_file
from mediation.choices import SignatureMethod
from mediation.documents.choices import DocumentStage, DocumentStatus
from mediation.models import Document, NumberingSeries
from mediation.services.agreements import (
    SignatureInput,
    agreement_draw_up,
    agreement_sign,
    agreement_void,
)
from tests.mediation.conftest import TODAY, hold, pdf_text, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

ID_NUMBER = "110105199003071239"
MASKED_ID = "110105********1239"


@pytest.fixture
def named_org(org):
    """Teams named as they would be: the street's mediation committee and its rider station."""
    org.a.mediators.name = "劳动争议调解委员会"
    org.a.mediators.save()
    org.a.station.name = "骑手服务站"
    org.a.station.save()
    org.platform.legal_representative = "刘总"
    org.platform.save()
    return org


def _draw_up(org, case, capture, **changes):
    hold(org, case)
    with capture(execute=True):
        return agreement_draw_up(
            actor=org.a.mediator, terms=terms_for(case, **changes), case_id=case.pk
        )


def _documents(agreement):
    return list(Document.objects.filter(object_id=agreement.pk, kind="agreement").order_by("pk"))


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _download(user, document) -> bytes:
    response = _client(user).get(reverse("mediation:download", args=[document.pk]))
    assert response.status_code == 200, (user, response.status_code)
    return b"".join(response.streaming_content)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_agreement_carries_what_a_court_expects(
    named_org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    org = named_org
    Case.objects.filter(pk=verifying_case.pk).update(worker_id_number=ID_NUMBER)
    NumberingSeries.objects.create(team=org.a.mediators, prefix="滨人调字")
    agreement = _draw_up(org, verifying_case, django_capture_on_commit_callbacks)

    (document,) = _documents(agreement)
    text = pdf_text(_download(org.worker, document), tmp_path)
    flat = _flat(text)
    assert "滨人调字〔2026〕第1号" in flat, "the document number"
    assert "东城街道劳动争议调解委员会" in flat, "the mediation organisation issues it"
    assert "骑手服务站" not in flat, "a service station never issues an agreement"
    assert f"公民身份号码{ID_NUMBER}" in flat, "the worker's own copy has the full ID number"
    assert "法定代表人刘总" in flat and "委托代理人王经理" in flat
    parties = flat.split("当事人", 1)[1].split("调解组织", 1)[0]
    assert "张师傅" in parties and "调解员" not in parties, "the mediator is not a party"
    assert "主持调解员调解员" in flat
    # a draft leaves the date concluded to be written by hand
    assert "签名完毕" not in flat and "年月日" in flat

    # the employer's copy masks the ID number; the verify page shows neither
    employer_copy = _flat(pdf_text(_download(org.representative, document), tmp_path))
    assert MASKED_ID in employer_copy and ID_NUMBER not in employer_copy
    assert "滨人调字〔2026〕第1号" in employer_copy
    page = _client().get(reverse("mediation:verify", args=[document.code])).content.decode()
    assert ID_NUMBER not in page and MASKED_ID not in page and "张师傅" not in page
    assert "滨人调字〔2026〕第 1 号" in page
    # both copies are genuine
    for user in (org.worker, org.representative):
        upload = SimpleUploadedFile("copy.pdf", _download(user, document), "application/pdf")
        result = _client().post(reverse("mediation:verify", args=[document.code]), {"file": upload})
        assert result.status_code == 200 and result.context["result"].file_matches is True


def test_a_masked_phone_is_never_printed_as_the_workers_name(
    named_org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    Case.objects.filter(pk=verifying_case.pk).update(worker_name="139****5678")
    agreement = _draw_up(named_org, verifying_case, django_capture_on_commit_callbacks)
    text = pdf_text(_documents(agreement)[0].file.read(), tmp_path)
    assert "139****5678" not in text
    assert "（未登记姓名）" in _flat(text)


def test_numbers_run_per_organisation_and_year(
    named_org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    org = named_org
    first = _draw_up(org, verifying_case, django_capture_on_commit_callbacks)
    agreement_void(actor=org.a.mediator, agreement_id=first.pk, reason="金额需重新协商")
    with django_capture_on_commit_callbacks(execute=True):
        second = agreement_draw_up(
            actor=org.a.mediator, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )
    texts = [_flat(pdf_text(_documents(a)[0].file.read(), tmp_path)) for a in (first, second)]
    assert "人调字〔2026〕第1号" in texts[0] and "人调字〔2026〕第2号" in texts[1]


def _sign_all(org, agreement, case, moment=None):
    scan = check_evidence_file(SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed\n%%EOF\n"))
    parties = [
        ("worker", case.pk, "张师傅", SignatureMethod.IN_PERSON, None),
        ("employer", None, "王经理", SignatureMethod.SCAN, scan),
        ("mediator", None, "调解员", SignatureMethod.IN_PERSON, None),
    ]
    for side, case_id, name, method, upload in parties:
        agreement = agreement_sign(
            actor=org.a.mediator,
            agreement_id=agreement.pk,
            signature=SignatureInput(
                side=side,
                case_id=case_id,
                signer_name=name,
                method=method,
                scan=upload,
                # at the moment it was drawn up: a slow machine moves no minute
                signed_at=moment or agreement.drawn_up_at,
            ),
        )
    return agreement


def test_once_every_party_has_signed_the_signed_version_is_issued(
    named_org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    org = named_org
    agreement = _draw_up(org, verifying_case, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        _sign_all(org, agreement, verifying_case)

    draft, signed = _documents(agreement)
    assert (draft.stage, signed.stage) == (DocumentStage.DRAFT, DocumentStage.SIGNED)
    assert signed.status == DocumentStatus.READY
    assert draft.superseded_by_id == signed.pk
    flat = _flat(pdf_text(signed.file.read(), tmp_path))
    # 10:00 in Beijing on 13 April 2026, each signature with its manner
    assert "签名情况" in flat
    assert "申请人张师傅当面签名2026年4月13日10:00" in flat
    assert "被申请人王经理签字件扫描上传2026年4月13日10:00" in flat
    assert "各方已于2026年4月13日签名完毕" in flat
    assert "人调字〔2026〕第1号" in flat, "the same number as the draft"

    # the public page: the draft says it was superseded, the signed version that it binds
    draft_page = _client().get(reverse("mediation:verify", args=[draft.code])).content.decode()
    assert "已被新版本取代" in draft_page and signed.code in draft_page
    signed_page = _client().get(reverse("mediation:verify", args=[signed.code])).content.decode()
    assert "已生效：各方均已签字" in signed_page

    # staff see the uploaded signed copy; the parties and others do not
    scan = agreement.signatures.get(side="employer")
    url = reverse("mediation:signature_scan", args=[scan.pk])
    response = _client(org.a.mediator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for user in (org.representative, org.worker, org.b.mediator):
        assert _client(user).get(url).status_code == 404, user
    page = _client(org.a.mediator).get(reverse("mediation:page", args=["case", verifying_case.pk]))
    html = page.content.decode()
    assert url in html, "the mediation page links the signed copy"
    assert "签字后生效文本" in html and "已被新版本取代" in html, "staff tell the versions apart"
    # the worker's case page offers the signed version
    case_page = _client(org.worker).get(reverse("casework:case_detail", args=[verifying_case.pk]))
    assert reverse("mediation:download", args=[signed.pk]) in case_page.content.decode()


def test_a_void_agreement_says_so_and_the_employer_no_longer_gets_it(
    named_org, verifying_case, django_capture_on_commit_callbacks
):
    org = named_org
    agreement = _draw_up(org, verifying_case, django_capture_on_commit_callbacks)
    agreement_void(actor=org.a.mediator, agreement_id=agreement.pk, reason="条款需重新协商")
    (document,) = _documents(agreement)

    page = _client().get(reverse("mediation:verify", args=[document.code]))
    html = page.content.decode()
    assert "已作废" in html, "a stranger checking the code must learn the agreement is void"
    assert "本系统确以此验证码出具过文书" not in html and "notice-ok" not in html
    assert "条款需重新协商" not in html, "the reason is not for the public"

    url = reverse("mediation:download", args=[document.pk])
    assert _client(org.representative).get(url).status_code == 404
    assert _client(org.worker).get(url).status_code == 404
    assert _client(org.a.mediator).get(url).status_code == 200, "the bureau keeps its record"


def test_a_draft_reads_as_a_draft_in_one_language(
    named_org, verifying_case, django_capture_on_commit_callbacks
):
    agreement = _draw_up(named_org, verifying_case, django_capture_on_commit_callbacks)
    (document,) = _documents(agreement)
    url = reverse("mediation:verify", args=[document.code])
    chinese = _client().get(url).content.decode()
    assert "草稿" in chinese and "起草日期" in chinese and "调解协议书" in chinese
    assert "Drawn up" not in chinese and "Mediation agreement" not in chinese
    english = _client()
    english.cookies["django_language"] = "en"
    page = english.get(url).content.decode()
    assert "Draft printed for signing" in page and "Drawn up" in page
    assert "起草日期" not in page and "调解协议书" not in page


@pytest.mark.now("2026-04-14T07:30+08:00")
def test_dates_are_beijing_dates_even_before_eight_in_the_morning(
    named_org, verifying_case, tmp_path, django_capture_on_commit_callbacks
):
    # 07:30 in Beijing is still 13 April in UTC
    agreement = _draw_up(named_org, verifying_case, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        _sign_all(named_org, agreement, verifying_case)
    signed = _documents(agreement)[-1]
    page = _client().get(reverse("mediation:verify", args=[signed.code])).content.decode()
    assert "2026-04-14" in page and "2026-04-13" not in page
    flat = _flat(pdf_text(signed.file.read(), tmp_path))
    assert "各方已于2026年4月14日签名完毕" in flat and "2026年4月14日07:30" in flat


def test_the_qr_code_points_at_the_address_the_request_came_to_in_development(
    named_org, verifying_case, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ANXIN_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    org = named_org
    hold(org, verifying_case)
    client = _client(org.a.mediator)
    today = timezone.localdate()
    form = {
        "facts": "配送费未结算。",
        f"amount_{verifying_case.pk}": "2400",
        "due_1": (today + timedelta(days=7)).isoformat(),
        "share_1": "100",
        "performance_deadline": (today + timedelta(days=14)).isoformat(),
        "payment_method": "bank",
        "employer_signatory": "王经理",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mediation:draw_up_agreement", args=["case", verifying_case.pk]),
            form,
            HTTP_HOST="192.168.1.20:8000",
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(kind="agreement")
    assert document.public_url == "http://192.168.1.20:8000"
    text = _flat(pdf_text(document.file.read(), tmp_path))
    assert f"http://192.168.1.20:8000/documents/verify/{document.code}/" in text
    assert "127.0.0.1" not in text


def test_in_production_the_qr_code_uses_the_public_address(
    named_org, verifying_case, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ANXIN_PUBLIC_URL = "https://anxin.example.gov.cn"
    agreement = _draw_up(named_org, verifying_case, django_capture_on_commit_callbacks)
    (document,) = _documents(agreement)
    text = _flat(pdf_text(document.file.read(), tmp_path))
    assert f"https://anxin.example.gov.cn/documents/verify/{document.code}/" in text


def test_check_deploy_fails_without_the_public_address(tmp_path):
    from tests.test_deploy_check import check_deploy

    result = check_deploy(tmp_path, ANXIN_PUBLIC_URL="")
    assert result.returncode != 0
    assert "mediation.E001" in result.stderr and "ANXIN_PUBLIC_URL" in result.stderr


def _pages(content: bytes, tmp_path, pages: int) -> list[str]:
    path = tmp_path / "group.pdf"
    path.write_bytes(content)
    return [
        subprocess.run(  # noqa: S603 (our own temporary file)
            ["/usr/bin/pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


NAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"


def _group_agreement(org, size, capture):
    from casework.groups.services import group_add_cases
    from tests.factories.cases import make_case, make_case_worker, put_case_in_state

    cases = [
        put_case_in_state(
            make_case(
                worker=make_case_worker(f"{NAMES[i]}师傅"),
                street=org.a.street,
                platform=org.platform,
            ),
            CaseState.VERIFYING,
            org.supervisor,
        )
        for i in range(size)
    ]
    group = group_add_cases(actor=org.a.coordinator, case_ids=[c.pk for c in cases])
    hold(org, None, group=group)
    today = timezone.localdate()
    with capture(execute=True):
        return agreement_draw_up(
            actor=org.a.mediator,
            terms=terms_for(
                cases[0],
                amounts={c.pk: Decimal("1800.00") for c in cases},
                schedule=[
                    (today + timedelta(days=7), Decimal("40")),
                    (today + timedelta(days=14), Decimal("30")),
                    (today + timedelta(days=21), Decimal("30")),
                ],
            ),
            group_id=group.pk,
        )


def test_a_group_of_twelve_signs_line_by_line_and_no_page_holds_only_the_code(
    named_org, tmp_path, django_capture_on_commit_callbacks
):
    agreement = _group_agreement(named_org, 12, django_capture_on_commit_callbacks)
    (document,) = _documents(agreement)
    pages = _pages(document.file.read(), tmp_path, document.pages)
    assert document.pages >= 2
    last = _flat(pages[-1])
    assert "本文书验证码" in last
    assert "调解组织（印章）" in last and "调解员（签名）" in last, (
        "the code stays with the closing signatures, never alone on a page"
    )
    flat = _flat("".join(pages))
    assert "集体劳动争议" in flat, "12 workers meet the collective threshold"
    lines = flat.split("申请人签名", 1)[1]
    assert all(f"{NAMES[i]}师傅" in lines for i in range(12)), "a signature line per worker"
    # every schedule row carries its date: no blank cells left when a table breaks
    for page in pages:
        for line in page.splitlines():
            if "师傅" in line and "1," in line and "调解" not in line:
                assert "2026年" in line or "BJ-" in line, line


def test_a_small_group_is_not_headed_collective(
    named_org, tmp_path, django_capture_on_commit_callbacks
):
    agreement = _group_agreement(named_org, 3, django_capture_on_commit_callbacks)
    (document,) = _documents(agreement)
    flat = _flat(pdf_text(document.file.read(), tmp_path))
    assert "集体劳动争议" not in flat
    assert all(f"{NAMES[i]}师傅" in flat.split("申请人签名", 1)[1] for i in range(3))


def test_without_a_mediation_organisation_the_agreement_is_refused_never_issued_by_a_station(
    named_org, verifying_case
):
    org = named_org
    assert verifying_case.team.kind == "service_station", "the case is handled by the station"
    hold(org, verifying_case)
    org.a.mediators.covers.clear()  # no mediation team or unit office covers the street now
    with pytest.raises(ActionRefused) as refusal:
        agreement_draw_up(
            actor=org.supervisor, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )
    assert "调解" in refusal.value.message and "管理员" in refusal.value.message
    assert not Document.objects.exists() and not verifying_case.agreement_lines.exists()
