"""The users of bench/topology.py: real sign-ins and real forms over HTTP, on the standard
library (urllib with a cookie jar), one thread per person, as browsers would send them.

Workers sign in with the code texted to them (read back from the database SMS outbox, the
backend the bench configures), file a complaint through the five-step form; staff sign in with
the demo password and move each case along: accept, verify, ask the employer to respond, start
mediation; a mediator schedules a session, records it held and draws up the agreement, whose
PDF the task workers render.
"""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookiejar import CookieJar

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

STAFF_PASSWORD = "anxin-demo-2026"  # noqa: S105 - the demo logins (README, "Demo logins")
TIMEOUT = 120
MOBILES = [f"1380013800{n}" for n in range(1, 6)]
COMPLAINTS_EACH = 2
NAMES = ["张一", "王二", "李三", "赵四", "钱五", "孙六", "周七", "吴八", "郑九", "冯十"]


class Browser:
    """One person's cookies; every POST carries the CSRF token the pages set."""

    def __init__(self, base: str, log: list):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.log = log  # (method, path, status, seconds, perf_counter at start) of each request

    def _open(self, method: str, path: str, data: bytes | None) -> tuple[int, str, str]:
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        request.add_header("Accept-Language", "zh-hans")
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, body, url = response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            status, body, url = error.code, error.read(), error.geturl()
        self.log.append((method, path, status, time.perf_counter() - started, started))
        return status, body.decode("utf-8", "replace"), urllib.parse.urlsplit(url).path

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open("GET", path, None)

    def post(self, path: str, fields: dict | list) -> tuple[int, str, str]:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = next((c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME), None)
        if token is None:
            self.get(path if path.endswith("/") else "/")
            token = next(c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME)
        items.append(("csrfmiddlewaretoken", token))
        return self._open("POST", path, urllib.parse.urlencode(items).encode())


def _done_reading() -> None:
    """Give the thread's connection back to the pool: the people are threads of one process,
    and a thread keeps its connection until it ends (more threads than the pool holds)."""
    from django.db import connection

    connection.close()


class Refused(RuntimeError):
    """A step the bench expected to work did not: the page and what came back."""


def staff(base: str, username: str, log: list) -> Browser:
    browser = Browser(base, log)
    path = reverse("casework:staff_sign_in")
    browser.get(path)
    status, _body, landed = browser.post(path, {"username": username, "password": STAFF_PASSWORD})
    if landed == path:
        raise Refused(f"{username} could not sign in ({status})")
    return browser


def worker(base: str, mobile: str, log: list) -> Browser:
    """Sign in as a worker: ask for a code, read the text the database backend stored."""
    from casework.organisation.models import SmsMessage

    browser = Browser(base, log)
    path = reverse("casework:worker_sign_in")
    browser.get(path)
    before = SmsMessage.objects.filter(to=mobile).order_by("-pk").values_list("pk", flat=True)
    last = before.first() or 0
    browser.post(path, {"mobile": mobile})
    deadline = time.monotonic() + 30
    while not (text := SmsMessage.objects.filter(to=mobile, pk__gt=last).order_by("-pk").first()):
        if time.monotonic() > deadline:
            raise Refused(f"no code was texted to {mobile}")
        time.sleep(0.05)
    _done_reading()
    code = re.search(rf"(?<!\d)(\d{{{settings.ANXIN_OTP_LENGTH}}})(?!\d)", text.body).group(1)
    status, _body, landed = browser.post(reverse("casework:worker_sign_in_code"), {"code": code})
    if landed.startswith(reverse("casework:worker_sign_in")):
        raise Refused(f"{mobile} could not sign in with the code ({status})")
    return browser


def file_complaint(browser: Browser, *, street_id: int, platform_id: int, n: int) -> int:
    """The worker's five steps; returns the new case's id (from the receipt's address)."""
    today = timezone.localdate()
    steps = [
        {"category": "pay_arrears", "description": f"三月的配送费一直没有结算（基准 {n}）"},
        {"platform": platform_id, "operator": "滨江配送站"},
        {
            "jurisdiction": street_id,
            "period_start": (today - timedelta(days=60)).isoformat(),
            "period_end": (today - timedelta(days=30)).isoformat(),
            "amount_claimed": f"{3000 + n}.00",
            "still_working": "no",
        },
        {"worker_name": NAMES[n % len(NAMES)]},
        {"consent_to_share": "on"},
    ]
    landed = ""
    for number, data in enumerate(steps, start=1):
        status, _body, landed = browser.post(reverse("casework:intake_step", args=[number]), data)
        if status != 200 or landed.endswith(f"/new/{number}/"):
            errors = re.findall(r"errorlist[^>]*>\s*<li>([^<]{1,200})<", _body)
            raise Refused(f"intake step {number} answered {status}: {errors[:3]}")
    match = re.fullmatch(r".*/cases/(\d+)/receipt/", landed)
    if not match:
        raise Refused(f"the complaint was not filed (ended on {landed})")
    return int(match.group(1))


def transition(browser: Browser, case_id: int, name: str, *, reason: str = "") -> str:
    """Press a transition button; returns the state the case is in afterwards."""
    from casework.cases.models import Case

    state = Case.objects.values_list("state", flat=True).get(pk=case_id)
    _done_reading()
    browser.post(
        reverse("casework:case_transition", args=[case_id, name]),
        {"expected_state": state, "reason": reason},
    )
    after = Case.objects.values_list("state", flat=True).get(pk=case_id)
    _done_reading()
    if after == state:
        raise Refused(f"{name} on case {case_id} left it {state}")
    return after


def mediate(browser: Browser, case_id: int, mediator_id: int) -> int:
    """Schedule a session half an hour from now, record it held, draw up the agreement (its
    PDF is queued for the task workers). Returns the agreement's id."""
    from mediation.models import Agreement, MediationSession

    when = timezone.localtime() + timedelta(minutes=30)
    status, _body, _landed = browser.post(
        reverse("mediation:schedule", args=["case", case_id]),
        {
            "scheduled_at": f"{when:%Y-%m-%dT%H:%M}",
            "place": "西兴街道调解室",
            "mediator": mediator_id,
        },
    )
    session = MediationSession.objects.filter(case_id=case_id).order_by("-pk").first()
    _done_reading()
    if session is None:
        raise Refused(f"no session was scheduled on case {case_id} ({status})")
    prefix = f"s{session.pk}"
    browser.post(
        reverse("mediation:record", args=[session.pk]),
        {f"{prefix}-outcome": "agreement", f"{prefix}-minutes": "双方就金额达成一致。"},
    )
    today = timezone.localdate()
    status, body, _landed = browser.post(
        reverse("mediation:draw_up_agreement", args=["case", case_id]),
        {
            "facts": "申请人三月为被申请人配送订单，配送费未结算。",
            "employer_signatory": "王经理",
            "payment_method": "bank",
            "performance_deadline": (today + timedelta(days=30)).isoformat(),
            f"amount_{case_id}": "2400",
            "due_1": (today + timedelta(days=7)).isoformat(),
            "share_1": "100",
        },
    )
    agreement = Agreement.objects.filter(lines__case_id=case_id).order_by("-pk").first()
    _done_reading()
    if agreement is None:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})<', body)
        raise Refused(f"no agreement on case {case_id} ({status}): {errors[:3]}")
    return agreement.pk


def people(base: str, street_id: int, platform_id: int, log: list) -> dict:
    """Workers file, staff move each case to mediation, an agreement is drawn up on each."""
    from casework.cases.models import Case

    errors: list[str] = []
    cases: list[int] = []
    # One sign-in per account, its cookies shared by the threads working as it: attempts on
    # one account are taken one at a time (its lock row is held while the password is hashed),
    # so ten threads signing in as the supervisor at once would queue behind one another.
    signed_in: dict[str, Browser] = {}
    signing_in = threading.Lock()

    def as_staff(username: str) -> Browser:
        with signing_in:
            if username not in signed_in:
                signed_in[username] = staff(base, username, log)
            return signed_in[username]

    def one_worker(index: int, mobile: str):
        browser = worker(base, mobile, log)
        for n in range(COMPLAINTS_EACH):
            cases.append(
                file_complaint(
                    browser,
                    street_id=street_id,
                    platform_id=platform_id,
                    n=index * COMPLAINTS_EACH + n,
                )
            )

    def one_case(case_id: int):
        case = Case.objects.select_related("team").get(pk=case_id)
        coordinator = _member(case.team_id, "coordinator") or "district.supervisor"
        _done_reading()
        browser = as_staff(coordinator)
        for name in ("accept", "start_verification", "request_response", "start_mediation"):
            transition(browser, case_id, name)
        supervisor = as_staff("district.supervisor")
        mediate(supervisor, case_id, _mediator_for(supervisor, case_id))

    for work, items in ((one_worker, list(enumerate(MOBILES))), (one_case, None)):
        items = items if items is not None else [(case_id,) for case_id in list(cases)]
        with ThreadPoolExecutor(max_workers=len(items) or 1) as pool:
            futures = [pool.submit(work, *item) for item in items]
            for future in futures:
                try:
                    future.result()
                except Exception as error:  # reported, the run goes on
                    errors.append(repr(error)[:300])
    return {"cases": cases, "errors": errors}


def _member(team_id: int, role: str) -> str | None:
    from casework.organisation.models import Membership

    found = Membership.objects.filter(team_id=team_id, role=role, user__is_active=True)
    return found.order_by("user__username").values_list("user__username", flat=True).first()


def _mediator_for(browser, case_id: int) -> int:
    import re

    from django.urls import reverse

    _status, page, _landed = browser.get(reverse("mediation:page", args=["case", case_id]))
    select = re.search(r'<select name="mediator".*?</select>', page, re.S)
    values = re.findall(r'<option value="(\d+)"', select.group(0) if select else "")
    if not values:
        raise RuntimeError(f"no mediator offered on case {case_id}")
    return int(values[0])
