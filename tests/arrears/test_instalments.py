"""Tried as a coordinator would: an agreement with three instalments; the first paid and
confirmed on the worker's phone; the second missed and flagged by the sweep, a payment order
issued and missed, compensation at 60 % computed; the case resolves only when everything is
paid and confirmed."""

import pytest
from django.urls import reverse

from arrears.enforcement import MissedInstalment, PaymentOrder
from arrears.ledger import case_ledger
from arrears.services.enforcement import (
    compensation_for,
    ledger_sweep,
    payment_order_compensate,
    payment_order_issue,
)
from casework.cases.choices import CaseState
from casework.cases.models import Case
from casework.cases.services.transitions import case_transition
from casework.core.errors import ActionRefused
from casework.notifications.models import Notification, NotificationKind
from tests.arrears.ledger_helpers import (
    NOW,
    D,
    binding_agreement,
    pay,
    verify,
    verifying_case,
)
from tests.factories.cases import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]


def test_three_instalments_one_missed_a_payment_order_and_compensation(client, now_is):
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "3000.00")
    binding_agreement(org, case, "3000.00", [(7, "30"), (21, "30"), (35, "40")])
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.AGREEMENT_REACHED and case.amount_agreed == D("3000.00")
    ledger = case_ledger(user=org.a.coordinator, case=case)
    first, second, third = ledger.instalments
    assert [(r.due_on.isoformat(), r.amount, r.state) for r in ledger.instalments] == [
        ("2026-12-14", D("900.00"), "due"),
        ("2026-12-28", D("900.00"), "due"),
        ("2027-01-11", D("1200.00"), "due"),
    ]

    # The first is paid on its day and confirmed on the worker's phone.
    now_is("2026-12-14", hour=15)
    payment = pay(org, case, "900.00", paid_on=first.due_on, instalment_id=first.instalment.pk)
    client.force_login(org.worker)
    url = reverse("arrears:payment_confirm", args=[case.pk, payment.pk])
    assert client.post(url, {"received": "yes"}).status_code == 302

    # The second passes unpaid: the sweep flags it once and tells the team and the worker.
    now_is("2026-12-29", hour=9)
    assert ledger_sweep().instalments_missed == 1
    assert ledger_sweep().instalments_missed == 0
    assert MissedInstalment.objects.get().instalment_id == second.instalment.pk
    told = set(
        Notification.objects.filter(kind=NotificationKind.INSTALMENT_MISSED).values_list(
            "recipient_id", flat=True
        )
    )
    assert org.worker.pk in told and len(told) > 1
    states = [r.state for r in case_ledger(user=org.worker, case=case).instalments]
    assert states == ["paid", "missed", "due"]

    # A payment order with its own deadline; it passes unpaid.
    with pytest.raises(ActionRefused):
        payment_order_issue(actor=org.a.coordinator, case_id=case.pk, deadline="2026-12-28")
    order = payment_order_issue(
        actor=org.a.coordinator, case_id=case.pk, deadline="2027-01-05", reference="限付〔2026〕9号"
    )
    assert order.amount == D("2100.00")
    with pytest.raises(ActionRefused):  # not before its deadline is missed
        payment_order_compensate(
            actor=org.a.coordinator, case_id=case.pk, order_id=order.pk, rate=60
        )
    now_is("2027-01-06", hour=9)
    assert ledger_sweep().orders_missed == 1
    for bad in (49, 101, "六十", None):
        with pytest.raises(ActionRefused):
            payment_order_compensate(
                actor=org.a.coordinator, case_id=case.pk, order_id=order.pk, rate=bad
            )
    order = payment_order_compensate(
        actor=org.a.coordinator, case_id=case.pk, order_id=order.pk, rate=60
    )
    assert (order.compensation_base, order.compensation) == (D("2100.00"), D("1260.00"))
    client.force_login(org.worker)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "¥1,260.00" in page and 'data-testid="compensation"' in page
    # Compensation is not wages: the outstanding wages stay 2100.
    assert Case.objects.get(pk=case.pk).amount_outstanding == D("2100.00")

    with pytest.raises(ActionRefused):
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    day = "2027-01-06"
    pay(org, case, "900.00", paid_on=day, instalment_id=second.instalment.pk, confirm=True)
    last = pay(org, case, "1200.00", paid_on=day, instalment_id=third.instalment.pk)
    with pytest.raises(ActionRefused):  # the last payment is not confirmed yet
        case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    from arrears.services import payment_confirm

    payment_confirm(actor=org.worker, case_id=case.pk, payment_id=last.pk, received=True)
    case_transition(actor=org.a.coordinator, case_id=case.pk, name="resolve")
    assert Case.objects.get(pk=case.pk).state == CaseState.RESOLVED
    assert PaymentOrder.objects.get().status == "missed"


def test_compensation_is_rounded_to_the_fen_half_up():
    assert compensation_for(D("0.05"), 50) == D("0.03")
    assert compensation_for(D("1234.57"), 75) == D("925.93")
    assert compensation_for(D("100.00"), 100) == D("100.00")


def test_a_payment_before_the_agreement_is_refused_when_it_pays_an_instalment(org_case):
    org, case = org_case
    binding_agreement(org, case, "1000.00", [(7, "100")])
    case = Case.objects.get(pk=case.pk)
    instalment = case_ledger(user=org.a.coordinator, case=case).instalments[0].instalment
    with pytest.raises(ActionRefused) as refused:
        pay(org, case, "100", paid_on="2026-12-01", instalment_id=instalment.pk)
    assert refused.value.field == "paid_on"
    other = verifying_case(org)
    with pytest.raises(ActionRefused) as refused:  # an instalment of another case
        pay(org, other, "100", instalment_id=instalment.pk)
    assert refused.value.field == "instalment"


@pytest.fixture
def org_case():
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "1000.00")
    return org, case


def test_the_employer_page_counts_confirmed_money_and_unverified_claims_apart(client):
    org = make_org()
    case = verifying_case(org)
    verify(org, case, "1000.00")
    pay(org, case, "300.00", confirm=True)
    pay(org, case, "200.00")  # reported, not confirmed
    verifying_case(org, amount_claimed=D("450.00"))  # nobody has verified it

    client.force_login(org.supervisor)
    rows = client.get(reverse("arrears:employers")).context["page"].rows
    row = next(r for r in rows if r.company == org.platform)
    assert row.figures.paid == D("500.00") and row.extras.confirmed == D("300.00")
    assert (row.extras.unverified_cases, row.extras.unverified_claimed) == (1, D("450.00"))
    assert row.figures.outstanding == D("500.00") + D("450.00")
    detail = client.get(reverse("arrears:employer_detail", args=[org.platform.pk]))
    assert detail.context["detail"].extras.confirmed == D("300.00")
    assert "¥450.00" in detail.content.decode()


def test_a_refused_payment_comes_back_with_its_instalments_and_says_why(client, org_case):
    """The form is checked by the service alone (nothing is read before it); when it refuses,
    the page shows the form again with the case's instalments to choose from."""
    from arrears.models import Payment
    from mediation.models import Instalment

    org, case = org_case
    binding_agreement(org, case, "1000.00", [(7, "100")])
    instalment = Instalment.objects.get(line__case=case)
    other = verifying_case(org)
    verify(org, other, "500.00")
    client.force_login(org.a.coordinator)
    form = {"paid_on": "2026-12-07", "method": "bank", "source": "staff"}

    def post(on, **fields):
        url = reverse("arrears:payment_record", args=[on.pk])
        response = client.post(url, {**form, **fields})
        assert response.status_code == 400
        shown = response.context["payment_form"]
        return shown, [value for value, _label in shown.fields["instalment"].choices]

    shown, choices = post(case, amount="5000", instalment=instalment.pk)
    assert "amount" in shown.errors and instalment.pk in choices
    shown, choices = post(other, amount="10", instalment=instalment.pk)
    assert "instalment" in shown.errors and instalment.pk not in choices
    for nonsense in ("abc", "99999999999999999999999", "-1"):
        shown, _choices = post(case, amount="10", instalment=nonsense)
        assert "instalment" in shown.errors
    assert not Payment.objects.exists()
