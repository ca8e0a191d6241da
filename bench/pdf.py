"""PDF rendering: a mediation agreement and a collective contract, through the real pipeline.

Each run creates a pending Document and calls document_render (the task's body): build the
context from the database, render with WeasyPrint to PDF/A-3b, hash and store the file.
"""

import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from casework.cases.models import Case
from casework.organisation.models import User
from mediation.choices import PaymentMethod, SessionOutcome
from mediation.documents.choices import DocumentStatus
from mediation.documents.registry import kind_for
from mediation.documents.services import pending_document
from mediation.documents.tasks import document_render
from mediation.models import Agreement
from mediation.services.agreements import AgreementTerms, agreement_draw_up
from mediation.services.sessions import (
    SessionPlan,
    SessionRecord,
    session_record,
    session_schedule,
)

WARMUP = 2


def _bench_agreement() -> Agreement:
    existing = Agreement.objects.filter(facts__startswith="基准").first()
    if existing:
        return existing
    mediator = User.objects.get(username="xixing.mediator")
    case = Case.objects.filter(state="verifying", jurisdiction__code="xixing").order_by("-pk")[0]
    today = timezone.localdate()
    with transaction.atomic():
        # An agreement rests on a session that took place: one set for now, recorded as held.
        session = session_schedule(
            actor=mediator,
            plan=SessionPlan(
                scheduled_at=timezone.now() + timedelta(minutes=1),
                mediator=mediator,
                place="西兴调解室",
            ),
            case_id=case.pk,
        )
        session_record(
            actor=mediator,
            session_id=session.pk,
            record=SessionRecord(
                minutes="基准测试。", outcome=SessionOutcome.AGREEMENT, attended_ids=set()
            ),
        )
        return agreement_draw_up(
            actor=mediator,
            case_id=case.pk,
            terms=AgreementTerms(
                facts="基准测试：申请人2026年9月至10月配送费未结算。" * 3,
                employer_signatory="林经理",
                payment_method=PaymentMethod.BANK,
                performance_deadline=today + timedelta(days=60),
                amounts={case.pk: Decimal("3260.00")},
                schedule=[
                    (today + timedelta(days=d), Decimal(s))
                    for d, s in ((7, "30"), (21, "30"), (45, "40"))
                ],
                waived_claims="申请人放弃其余请求。",
            ),
        )


BENCH_CONTRACT_TITLE = "基准测试：速达外卖平台集体合同（全部条款与十轮协商纪要）"
_ROUND_MINUTES = (
    "职工方首席代表介绍了近三个月收集的骑手诉求，集中在最低小时收入、超时扣款、恶劣天气补贴、"
    "连续接单后的强制休息提醒和平台规则调整的提前公示五个方面。企业方首席代表说明了现行计价规则、"
    "各区域单量分布与成本结构，提出按区域和时段分档保障的方案。双方就保障标准的计算口径、"
    "在线时长的认定、众包与专送骑手的差异进行了讨论，同意由双方各派两名代表组成工作小组，"
    "核对过去十二个月的订单与收入数据，下一轮协商前交换书面意见。"
)


def _bench_contract():
    """A platform contract with every clause of the library and ten rounds of minutes."""
    from mediation.contracts.choices import ScopeKind, Side
    from mediation.contracts.models import ClauseTemplate, CollectiveContract
    from mediation.contracts.services.lifecycle import contract_transition
    from mediation.contracts.services.proceedings import representative_add, round_record
    from mediation.contracts.services.terms import ContractTerms, clause_add, contract_create
    from platforms.models import Company

    existing = CollectiveContract.objects.filter(title=BENCH_CONTRACT_TITLE).first()
    if existing:
        return existing
    actor = User.objects.get(username="district.supervisor")
    today = timezone.localdate()
    contract = contract_create(
        actor=actor,
        terms=ContractTerms(
            title=BENCH_CONTRACT_TITLE,
            scope_kind=ScopeKind.PLATFORM,
            company=Company.objects.get(short_name="速达外卖"),
            union_name="速达外卖工会联合会",
            term_start=today,
            term_end=today.replace(year=today.year + 3) - timedelta(days=1),
        ),
    )
    for side, organisation in (
        (Side.WORKERS, "速达外卖工会联合会"),
        (Side.EMPLOYER, "杭州速达网络科技有限公司"),
    ):
        for n in range(9):
            representative_add(
                actor=actor,
                contract_id=contract.pk,
                side=side,
                name=f"代表{n + 1:02d}",
                organisation=organisation,
                position="首席代表" if n == 0 else "协商代表",
                is_chief=n == 0,
            )
    for template in ClauseTemplate.objects.filter(is_active=True).order_by("chapter", "position"):
        clause_add(
            actor=actor,
            contract_id=contract.pk,
            template_id=template.pk,
            values=template.parameters,
        )
    contract_transition(actor=actor, contract_id=contract.pk, name="start_consulting")
    for n in range(10):
        round_record(
            actor=actor,
            contract_id=contract.pk,
            held_at=timezone.now() - timedelta(days=80 - 7 * n),
            place="区人力社保局三楼会议室",
            attendees="双方协商代表各九人，区总工会、区人力社保局劳动关系科列席。",
            minutes=(_ROUND_MINUTES + "\n") * 4,
        )
    return contract


def time_rendering(subject, kind_key: str, runs: int) -> dict:
    kind = kind_for(kind_key)
    requester = User.objects.filter(is_superuser=True).first() or User.objects.first()
    samples, document = [], None
    for run in range(WARMUP + runs):
        document = pending_document(requested_by=requester, subject=subject, kind=kind)
        started = time.perf_counter()
        document = document_render(document.pk)
        if run >= WARMUP:
            samples.append(time.perf_counter() - started)
        if document.status != DocumentStatus.READY:
            raise RuntimeError(f"rendering failed: {document.error}")
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)] * 1000, 1),
        "pages": document.pages,
        "size_kib": round(document.size / 1024, 1),
    }


def measure(runs: int = 10) -> list[dict]:
    results = []
    agreement = _bench_agreement()
    timing = time_rendering(agreement, "agreement", runs)
    print(f"  agreement PDF: {timing}", flush=True)
    results.append(
        {
            "operation": f"mediation agreement PDF ({timing['pages']} pages, "
            f"{timing['size_kib']} KiB, PDF/A-3b, signed)",
            "median_ms": timing["median_ms"],
            "p95_ms": timing["p95_ms"],
            "queries": None,
            "target": "off the request path (a task); no target of its own",
            "issue": 6,
            "meets_target": True,
        }
    )
    contract = _bench_contract()
    timing = time_rendering(contract, "collective_contract", runs)
    print(f"  collective contract PDF: {timing}", flush=True)
    results.append(
        {
            "operation": f"collective contract PDF ({timing['pages']} pages, "
            f"{timing['size_kib']} KiB, PDF/A-3b, signed)",
            "median_ms": timing["median_ms"],
            "p95_ms": timing["p95_ms"],
            "queries": None,
            "target": "a 10-page contract in < 3 s",
            "issue": 6,
            "meets_target": timing["median_ms"] < 3000 and timing["pages"] >= 10,
        }
    )
    return results
