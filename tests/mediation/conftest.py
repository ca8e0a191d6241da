import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.cases.choices import CaseState
from mediation.choices import PaymentMethod, SessionOutcome
from mediation.services.agreements import AgreementTerms, agreement_draw_up
from mediation.services.sessions import (
    SessionPlan,
    SessionRecord,
    session_record,
    session_schedule,
)
from tests.factories.cases import make_case, make_org, put_case_in_state

# Mediation tests take place on Monday 13 April 2026 at 10:00 in Beijing unless they say
# otherwise (`pytestmark = pytest.mark.now(TODAY, hour=10)`): the worker complained about
# March's pay; sessions and payment dates below are counted from that day.
TODAY = date(2026, 4, 13)


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def verifying_case(org):
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    return put_case_in_state(case, CaseState.VERIFYING, org.supervisor)


def schedule(org, case, **changes):
    plan = SessionPlan(
        scheduled_at=changes.pop("scheduled_at", timezone.now() + timedelta(days=2)),
        mediator=changes.pop("mediator", org.a.mediator),
        place=changes.pop("place", "东城街道调解室"),
        **changes,
    )
    return session_schedule(actor=org.a.mediator, plan=plan, case_id=case.pk)


def hold(org, case, *, group=None, actor=None, outcome=SessionOutcome.AGREEMENT):
    """A session that took place: scheduled for half an hour from now (a session cannot be set
    in the past) and recorded as held (which may be done from an hour before its time)."""
    actor = actor or org.a.mediator
    plan = SessionPlan(
        scheduled_at=timezone.now() + timedelta(minutes=30), mediator=actor, place="东城街道调解室"
    )
    where = {"group_id": group.pk} if group else {"case_id": case.pk}
    session = session_schedule(actor=actor, plan=plan, **where)
    return session_record(
        actor=actor,
        session_id=session.pk,
        record=SessionRecord(minutes="双方就金额达成一致。", outcome=outcome, attended_ids=set()),
    )


def terms_for(case, **changes) -> AgreementTerms:
    today = timezone.localdate()
    fields = {
        "facts": "申请人于2026年3月为被申请人配送订单，配送费3000元未结算。",
        "employer_signatory": "王经理",
        "payment_method": PaymentMethod.BANK,
        "performance_deadline": today + timedelta(days=30),
        "amounts": {case.pk: Decimal("2400.00")},
        "schedule": [
            (today + timedelta(days=7), Decimal("50")),
            (today + timedelta(days=21), Decimal("50")),
        ],
        "waived_claims": "申请人放弃其余600元的请求。",
    }
    fields.update(changes)
    return AgreementTerms(**fields)


@pytest.fixture
def agreement(org, verifying_case, django_capture_on_commit_callbacks):
    """A drawn-up agreement of a case in mediation; its PDF is rendered on commit by the
    immediate task backend, as in `make run`."""
    hold(org, verifying_case)
    with django_capture_on_commit_callbacks(execute=True):
        return agreement_draw_up(
            actor=org.a.mediator, terms=terms_for(verifying_case), case_id=verifying_case.pk
        )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 (our own temporary file)
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603
        ["/usr/bin/pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def embedded_fonts(content: bytes, tmp_path) -> dict[str, tuple[str, ...]]:
    """pdffonts as {font name without its subset tag: (type, embedded, subset, Unicode map)}."""
    rows = [line.split() for line in pdf_fonts(content, tmp_path).splitlines()[2:]]
    return {row[0].split("+", 1)[-1]: (" ".join(row[1:-6]), *row[-5:-2]) for row in rows}


# The two faces every document is set in (static/documents/document.css), and nothing else:
# CFF-flavoured OpenType (the Noto .otf files), where a system font would mostly be TrueType.
_NOTO = ("CID Type 0C (OT)", "yes", "yes", "yes")
PACKAGED_FACES = {"Anxin-Noto-Serif-SC": _NOTO, "Anxin-Noto-Sans-SC": _NOTO}


def pdf_metadata(content: bytes, tmp_path) -> str:
    """The XMP metadata stream, where PDF/A declares its part and conformance."""
    path = tmp_path / "meta.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603
        ["/usr/bin/pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
    ).stdout
