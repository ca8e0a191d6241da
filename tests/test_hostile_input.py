"""Issue 13, generic test (b): hostile values to every form of Anxin, never a 500.

Two doors:

1. Every Form subclass under casework/, mediation/ and arrears/ (found by walking the
   packages) is bound directly with hostile data. It must not raise, and when it calls the
   data valid, what it cleaned is safe to store: no control characters (but line breaks in
   multi-line text), no lone surrogates, dates within 2000–2100, integers within 64 bits.
2. Every page that takes a form (POST) or filters (GET) is sent, as a user of the right role,
   a valid submission with a few fields mutated: replaced by hostile values (huge, NUL and
   other controls, invalid UTF-8, RTL marks, emoji, fullwidth and superscript digits, numbers
   beyond 64 bits, years 1 and 9999, forged choices), removed, or duplicated, plus unknown
   keys. The answer is never a 500; when it is a refusal (a 4xx, the form again with errors,
   a redirect with an error message) no table has gained or lost a row (every model's count,
   history tables included, so any save of a tracked model counts).

Bounded for `make test`: 25 examples per form and per page; the figures are in the report.
"""

import importlib
import inspect
import pkgutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import quote_from_bytes

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arrears
import casework
import mediation
from casework.cases.choices import CaseState
from casework.core.bounds import MAX_DATE, MAX_ID, MIN_DATE, MIN_INT
from mediation.contracts.models import ClauseTemplate
from mediation.services.agreements import agreement_draw_up
from tests.contracts.builders import TODAY, consulting_contract, make_contract_org
from tests.factories.cases import cover_streets_with_unit_office, make_case, put_case_in_state
from tests.mediation.conftest import hold, terms_for

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Hostile values: str are sent UTF-8 encoded, bytes as they are (invalid UTF-8 included).
HOSTILE: list[str | bytes] = [
    "",
    " ",
    "x" * 100_000,
    "长" * 30_000,
    "\x00",
    "a\x00b",
    "\x07",
    "\x1b[2J",
    "\x7f",
    "\u0085",
    "\x0b",
    "\r\n",
    "\u202eabc\u200f",
    "\ufeff",
    "\u200b",
    "😀" * 60,
    "👩‍👩‍👧‍👦",
    "１２３",
    "２０２６-０４-０１",
    "²",
    "٣",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "0.001",
    "0001-01-01",
    "9999-12-31",
    "1999-12-31",
    "2101-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "10000-01-01T00:00",
    "2026-06-15T25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n{0}",
    "on",
    "galaxy",
    "../../etc/passwd",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\xc0\x80",
    b"\xf4\x90\x80\x80",
]
EXTRA_KEYS = ["admin", "is_superuser", "state", "__proto__", "id", "pk", "x" * 300, "\u202ekey"]

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)


def _safe_text(value: str, *, multiline: bool) -> bool:
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and not (multiline and char in "\t\n\r")):
            return False
    return True


def _assert_cleaned_is_safe(form: forms.BaseForm) -> None:
    for name, value in form.cleaned_data.items():
        bound = form.fields.get(name)
        multiline = bound is not None and isinstance(bound.widget, forms.Textarea)
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, str):
                assert _safe_text(item, multiline=multiline), (type(form).__name__, name, item)
            elif isinstance(item, datetime):
                assert MIN_DATE <= timezone.localtime(item).date() <= MAX_DATE, (name, item)
            elif isinstance(item, date):
                assert MIN_DATE <= item <= MAX_DATE, (type(form).__name__, name, item)
            elif isinstance(item, int) and not isinstance(item, bool):
                assert MIN_INT <= item <= MAX_ID, (type(form).__name__, name, item)


# 1. Every form class, bound directly ------------------------------------------------------


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = {}
    for package in (casework, mediation, arrears):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and not obj.__module__.startswith("casework.core.")
                ):
                    found[f"{obj.__module__}.{obj.__name__}"] = obj
    return [found[key] for key in sorted(found)]


@dataclass
class Scene:
    """One district, its people, and one thing of each kind a form acts on."""

    co: object
    org: object
    worker_case: object
    staff_case: object
    session: object
    agreement: object
    contract: object
    clause: object
    template: object
    kwargs: dict = field(default_factory=dict)


@pytest.fixture
def scene():
    co = make_contract_org()
    org = cover_streets_with_unit_office(co.org)
    worker_case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    staff_case = put_case_in_state(
        make_case(worker=org.other_worker, street=org.a.street, platform=org.platform),
        CaseState.VERIFYING,
        org.supervisor,
    )
    session = hold(org, staff_case)
    agreement = agreement_draw_up(
        actor=org.a.mediator, terms=terms_for(staff_case), case_id=staff_case.pk
    )
    contract = consulting_contract(co.keeper, org)
    clause = contract.clauses.first()
    template = ClauseTemplate.objects.filter(is_active=True).exclude(parameters={}).first()
    from casework.cases.models import Case

    mediating = list(Case.objects.filter(pk=staff_case.pk))
    kwargs = {
        "ClauseValuesForm": {"template": clause.template},
        "AgreementForm": {"cases": mediating},
        "ScheduleForm": {"mediators": [org.a.mediator]},
        "RecordSessionForm": {"participants": session.participants.all()},
        "SignForm": {"parties": [("worker", "worker"), ("employer", "employer")]},
        "WhereWhenForm": {"category": "pay_arrears"},
    }
    return Scene(
        co, org, worker_case, staff_case, session, agreement, contract, clause, template, kwargs
    )


def _field_names(form: forms.BaseForm) -> list[str]:
    return [form.add_prefix(name) for name in form.fields]


def _decode(value: str | bytes) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


FORM_CLASSES = project_form_classes()
BOUND = {"forms": 0, "examples": 0, "valid": 0}


def test_the_walk_finds_every_form_of_the_project():
    assert len(FORM_CLASSES) >= 25, [c.__name__ for c in FORM_CLASSES]


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_form_bound_with_hostile_values_refuses_or_cleans_safely(scene, form_class):
    kwargs = scene.kwargs.get(form_class.__name__, {})
    names = _field_names(form_class(**kwargs))
    BOUND["forms"] += 1

    @FUZZ
    @given(
        data=st.dictionaries(
            st.sampled_from(names + EXTRA_KEYS),
            st.one_of(values, st.lists(values, min_size=2, max_size=3)),
            max_size=len(names) + 2,
        )
    )
    def bind(data):
        BOUND["examples"] += 1
        posted = MultiValueDict(
            {
                key: [_decode(v) for v in value] if isinstance(value, list) else [_decode(value)]
                for key, value in data.items()
            }
        )
        form = form_class(posted, MultiValueDict(), **kwargs)
        if form.is_valid():
            BOUND["valid"] += 1
            _assert_cleaned_is_safe(form)

    bind()


# 2. Every page that takes a form, through the client ----------------------------------------


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


def _resolve(scene, path: str):
    obj = scene
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _row_counts() -> tuple:
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed})
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _encode(pairs: list[tuple[str, str | bytes]]) -> str:
    def part(value) -> str:
        raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{part(k)}={part(v)}" for k, v in pairs)


def _refused(response, method: str) -> bool:
    if response.status_code in {400, 403, 404, 405, 413}:
        return True
    if method == "post" and response.status_code == 200:
        context_forms = [
            v
            for ctx in (response.context or [])
            for v in ctx.flatten().values()
            if isinstance(v, forms.BaseForm) and v.is_bound
        ]
        return any(f.errors for f in context_forms)
    if response.status_code == 302:
        # Only what this request said (messages of earlier requests wait in the session).
        added = getattr(response.wsgi_request._messages, "_queued_messages", [])
        return any(m.level >= constants.ERROR for m in added)
    return False


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["replace", "remove", "duplicate", "extra"]),
        st.integers(min_value=0, max_value=10_000),
        values,
    ),
    min_size=1,
    max_size=4,
)
FIGURES = {"pages": 0, "examples": 0, "refused": 0, "accepted": 0}


# Besides the random mutations, every field of every page gets the values that broke pages
# before (issue 13), chosen by what the field holds: hypothesis alone rarely draws them.
SWEEP_TEXT = ["\x00", "a\x07b", "x" * 100_000, "\u202e\ufeff😀", b"\xff\xfe"]
SWEEP_NUMBER = ["9223372036854775808", "99999999999999999999999", "-1", "²", "１２"]
SWEEP_DATE = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "２０２６-０１-０１",
]


def _sweep_values(value) -> list:
    text = str(value[0] if isinstance(value, list) and value else value)
    if len(text) >= 10 and text[:4].isdigit() and text[4] == "-":
        return SWEEP_DATE
    if text.isdigit():
        return SWEEP_NUMBER
    # Inside otherwise valid text too, so that length and required checks pass.
    return SWEEP_TEXT + [f"{text}{bad}{text}" for bad in ("\x00", "\x1b", "\u202e")]


FORM_ENCODED = "application/x-www-form-urlencoded"


def _send(client, target, url, data: dict, shows: str | None) -> None:
    pairs = [(key, v) for key, vs in data.items() for v in vs]
    before = _row_counts()
    if target.method == "get":
        response = client.get(f"{url}?{_encode(pairs)}")
    else:
        response = client.post(
            url, _encode(pairs), content_type="application/x-www-form-urlencoded"
        )
    FIGURES["examples"] += 1
    assert response.status_code < 500, (url, pairs)
    if target.method == "post" and _refused(response, target.method):
        FIGURES["refused"] += 1
        changed = {
            t: n
            for t, n in _row_counts().items()
            if before[t] != n and t not in target.refusal_writes
        }
        assert not changed, f"{url} refused {pairs!r} but rows changed: {changed}"
    else:
        FIGURES["accepted"] += 1
        if shows is not None:
            shown = client.get(shows)
            assert shown.status_code < 500, f"{shows} broke after {url} accepted {pairs!r}"


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


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.method}-{t.url}" for t in TARGETS])
def test_hostile_submissions_never_answer_500_and_refusals_change_nothing(scene, client, target):
    user = _resolve(scene, target.user)
    client.force_login(user)
    url = reverse(target.url, args=target.args(scene))
    base = target.valid(scene)
    names = list(base)
    shows = SHOWS[target.url](scene) if target.url in SHOWS else None

    def base_lists():
        return {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}

    FIGURES["pages"] += 1

    @FUZZ
    @given(mutations=MUTATIONS)
    def send(mutations):
        data = {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}
        for kind, index, value in mutations:
            name = names[index % len(names)] if names else EXTRA_KEYS[0]
            if kind == "replace":
                data[name] = [value]
            elif kind == "remove":
                data.pop(name, None)
            elif kind == "duplicate":
                data[name] = [*data.get(name, []), value]
            else:
                data[EXTRA_KEYS[index % len(EXTRA_KEYS)]] = [value]
        _send(client, target, url, data, shows)

    _send(client, target, url, {**base_lists(), "note": ["a\x00b"]}, shows)  # an unknown key
    for name in names:
        for value in _sweep_values(base[name]):
            data = {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}
            data[name] = [value]
            _send(client, target, url, data, shows)
    send()


def test_figures_of_the_fuzzing_are_reported(request):
    """Runs last in this module: prints how much was sent (for the issue's note)."""
    print(f"\nbound directly: {BOUND}; through the pages: {FIGURES}")
