"""The pages that take a form (POST) or filters (GET): who sends them, and a submission each
accepts."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from casework.cases.choices import CaseState


@dataclass
class Target:
    url: str  # URL name
    user: str  # attribute path from the scene: "org.a.mediator"
    args: object  # scene -> list
    valid: object  # scene -> dict of a submission the form accepts
    method: str = "post"
    # Tables a refusal may write: a wrong password is counted (the lockout, issue 13 hole 2).
    refusal_writes: frozenset = frozenset()


def _now(**delta) -> str:
    return (timezone.localtime() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _today(**delta) -> str:
    return (timezone.localdate() + timedelta(**delta)).isoformat()


def _case_transition_valid(s):
    return {"expected_state": CaseState.VERIFYING, "reason": "理由充分，依据材料作出处理。"}


TARGETS = [
    Target(
        "casework:worker_sign_in", "org.worker", lambda s: [], lambda s: {"mobile": "13800138000"}
    ),
    Target(
        "casework:staff_sign_in",
        "org.worker",
        lambda s: [],
        lambda s: {"username": "nobody", "password": "x" * 12, "next": "/work/"},
        refusal_writes=frozenset({"casework_signinlock"}),
    ),
    Target(
        "casework:set_language",
        "org.worker",
        lambda s: [],
        lambda s: {"language": "en", "next": "/cases/"},
    ),
    Target(
        "casework:intake_step",
        "org.other_worker",
        lambda s: [1],
        lambda s: {"category": "pay_arrears", "description": "九月份的配送费一直没有结算"},
    ),
    Target(
        "casework:staff_intake",
        "org.a.station_coordinator",
        lambda s: [],
        lambda s: {
            "worker_mobile": "13800138123",
            "worker_name": "王师傅",
            "channel": "phone",
            "category": "pay_arrears",
            "description": "三月份的配送费一直没有结算",
            "platform": s.org.platform.pk,
            "operator": "",
            "jurisdiction": s.org.a.street.pk,
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "amount_claimed": "1200.00",
            "still_working": "yes",
        },
    ),
    Target(
        "casework:queue",
        "org.a.station_coordinator",
        lambda s: [],
        lambda s: {
            "queue": "team",
            "state": "submitted",
            "platform": s.org.platform.pk,
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "q": "BJ",
            "sort": "old",
            "page": "1",
        },
        method="get",
    ),
    Target(
        "casework:case_message",
        "org.worker",
        lambda s: [s.worker_case.pk],
        lambda s: {"body": "我补充一下情况"},
    ),
    Target(
        "casework:case_withdraw",
        "org.worker",
        lambda s: [s.worker_case.pk],
        lambda s: {"expected_state": CaseState.SUBMITTED, "reason": "已经解决"},
    ),
    Target(
        "casework:case_transition",
        "org.supervisor",
        lambda s: [s.staff_case.pk, "request_response"],
        _case_transition_valid,
    ),
    Target(
        "casework:case_assign",
        "org.supervisor",
        lambda s: [s.staff_case.pk],
        lambda s: {"assignee": s.org.a.coordinator.pk},
    ),
    Target(
        "casework:case_note",
        "org.supervisor",
        lambda s: [s.staff_case.pk],
        lambda s: {"body": "已电话联系平台", "is_public": "on"},
    ),
    Target(
        "casework:case_group",
        "org.supervisor",
        lambda s: [s.staff_case.pk],
        lambda s: {"cases": [s.worker_case.pk], "group": ""},
    ),
    Target(
        "casework:case_clock",
        "org.supervisor",
        lambda s: [s.staff_case.pk, "pause"],
        lambda s: {"reason": "等待平台提供材料"},
    ),
    Target(
        "mediation:schedule",
        "org.a.mediator",
        lambda s: ["case", s.worker_case.pk],
        lambda s: {
            "scheduled_at": _now(days=3),
            "place": "调解室",
            "online_link": "",
            "mediator": s.org.a.mediator.pk,
            "other_invitees": "律师, 律所",
        },
    ),
    Target(
        "mediation:record",
        "org.a.mediator",
        lambda s: [s.session.pk],
        lambda s: {
            f"s{s.session.pk}-outcome": "adjourned",
            f"s{s.session.pk}-minutes": "双方到场",
            f"s{s.session.pk}-attended": [p.pk for p in s.session.participants.all()],
        },
    ),
    Target(
        "mediation:draw_up_agreement",
        "org.a.mediator",
        lambda s: ["case", s.staff_case.pk],
        lambda s: {
            "facts": "申请人三月配送费未结算",
            "employer_signatory": "王经理",
            "payment_method": "bank",
            "performance_deadline": _today(days=30),
            f"amount_{s.staff_case.pk}": "1000.00",
            "due_1": _today(days=7),
            "share_1": "100",
        },
    ),
    Target(
        "mediation:sign",
        "org.a.mediator",
        lambda s: [s.agreement.pk],
        lambda s: {
            f"a{s.agreement.pk}-party": "worker",
            f"a{s.agreement.pk}-signer_name": "张师傅",
            f"a{s.agreement.pk}-method": "in_person",
            f"a{s.agreement.pk}-signed_at": _now(minutes=-30),
        },
    ),
    Target(
        "mediation:void",
        "org.a.mediator",
        lambda s: [s.agreement.pk],
        lambda s: {"reason": "金额有误，重新拟定"},
    ),
    Target("mediation:verify_form", "org.worker", lambda s: [], lambda s: {"file": "x"}),
    Target(
        "contracts:list",
        "co.keeper",
        lambda s: [],
        lambda s: {"state": "consulting", "q": "合同"},
        method="get",
    ),
    Target(
        "contracts:create",
        "co.keeper",
        lambda s: [],
        lambda s: {
            "title": "合同",
            "scope_kind": "platform",
            "company": s.org.platform.pk,
            "union_name": "工会",
            "term_start": "2026-07-01",
            "term_end": "2027-06-30",
            "request_on": "",
            "reply_on": "",
        },
    ),
    Target(
        "contracts:edit",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {
            "title": s.contract.title,
            "scope_kind": s.contract.scope_kind,
            "company": s.contract.company_id,
            "union_name": s.contract.union_name,
            "term_start": f"{s.contract.term_start:%Y-%m-%d}",
            "term_end": f"{s.contract.term_end:%Y-%m-%d}",
            "expected_state": s.contract.state,
        },
    ),
    Target(
        "contracts:representative_add",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {"side": "workers", "name": "赵六", "organisation": "工会", "position": ""},
    ),
    Target(
        "contracts:round_add",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {
            "held_at": _now(hours=-2),
            "place": "会议室",
            "attendees": "双方",
            "minutes": "纪要",
        },
    ),
    Target(
        "contracts:clause_edit",
        "co.keeper",
        lambda s: [s.contract.pk, s.clause.pk],
        lambda s: dict(s.clause.values),
    ),
    Target(
        "contracts:clause_add",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {"template": s.template.pk, **dict(s.template.parameters)},
    ),
    Target(
        "contracts:vote",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {
            "held_at": _now(hours=-2),
            "members": "100",
            "attended": "80",
            "yes": "70",
            "no": "5",
            "abstain": "5",
            "expected_state": s.contract.state,
        },
    ),
    Target(
        "contracts:transition",
        "co.keeper",
        lambda s: [s.contract.pk, "sign"],
        lambda s: {"expected_state": s.contract.state, "on": _today(), "reason": "签订"},
    ),
    Target(
        "contracts:diff",
        "co.keeper",
        lambda s: [s.contract.pk],
        lambda s: {"old": "1", "new": "2", "layout": "unified"},
        method="get",
    ),
    Target(
        "arrears:employers",
        "org.supervisor",
        lambda s: [],
        lambda s: {"sort": "name", "page": "1"},
        method="get",
    ),
    Target("casework:inbox_since", "org.worker", lambda s: [], lambda s: {"after": "0"}, "get"),
]


def _case_page(attr):
    return lambda s: reverse("casework:case_detail", args=[getattr(s, attr).pk])


def _mediation_page(attr):
    return lambda s: reverse("mediation:page", args=["case", getattr(s, attr).pk])


def _contract_page(s):
    return reverse("contracts:detail", args=[s.contract.pk])


# The page that shows what a form stored, read again after every accepted post: a value that
# was stored but cannot be read back (a BC timestamp on PostgreSQL) breaks that page, not the post.
SHOWS = {
    "casework:intake_step": lambda s: reverse("casework:intake_step", args=[1]),
    "casework:staff_intake": lambda s: reverse("casework:queue"),
    "casework:case_message": _case_page("worker_case"),
    "casework:case_withdraw": _case_page("worker_case"),
    "casework:case_transition": _case_page("staff_case"),
    "casework:case_assign": _case_page("staff_case"),
    "casework:case_note": _case_page("staff_case"),
    "casework:case_group": _case_page("staff_case"),
    "casework:case_clock": _case_page("staff_case"),
    "mediation:schedule": _mediation_page("worker_case"),
    "mediation:record": _mediation_page("staff_case"),
    "mediation:draw_up_agreement": _mediation_page("staff_case"),
    "mediation:sign": _mediation_page("staff_case"),
    "mediation:void": _mediation_page("staff_case"),
    "contracts:create": lambda s: reverse("contracts:list"),
    "contracts:edit": _contract_page,
    "contracts:representative_add": _contract_page,
    "contracts:round_add": _contract_page,
    "contracts:clause_edit": _contract_page,
    "contracts:clause_add": _contract_page,
    "contracts:vote": _contract_page,
    "contracts:transition": _contract_page,
}
