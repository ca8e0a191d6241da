"""Hole 8: a mobile number typed with look-alike digits (fullwidth １３８) is the same number,
one account and one lock; digits of other scripts are refused."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from casework.organisation.models import User
from casework.organisation.services.workers import worker_get_or_create
from tests.factories.cases import make_case, make_org
from tests.factories.organisation import make_staff, make_worker

# Locks end by the clock: it is 10:00 on Monday 16 March 2026, and ticking.
pytestmark = [pytest.mark.now("2026-03-16T10:00")]

WORKER = reverse("casework:worker_sign_in")
CODE = reverse("casework:worker_sign_in_code")


def code_from(outbox, mobile) -> str:
    texts = [sms for sms in outbox if sms.to == mobile]
    assert texts, f"no text message was sent to {mobile}"
    return re.search(r"\b(\d{6})\b", texts[-1].body).group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def errors(response) -> list[str]:
    form = response.context["form"]
    return [str(message) for messages in form.errors.values() for message in messages]


@pytest.mark.django_db(transaction=True)
def test_a_number_with_a_fullwidth_digit_signs_in_to_the_same_worker(client, sms_outbox):
    worker = make_worker("13800138002")
    response = client.post(WORKER, {"mobile": "13８00138002"})
    assert response.status_code == 302
    assert [sms.to for sms in sms_outbox] == ["13800138002"]

    response = client.post(CODE, {"code": code_from(sms_outbox, "13800138002")})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == worker.pk
    assert User.objects.filter(is_worker=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_fullwidth_digits_share_the_lock_of_the_ascii_number(client, sms_outbox):
    client.post(WORKER, {"mobile": "13800138002"})
    code = code_from(sms_outbox, "13800138002")
    for _ in range(5):
        client.post(CODE, {"code": wrong(code)})
    response = Client().post(WORKER, {"mobile": "１３８００１３８００２"})
    assert "失败次数过多" in errors(response)[0]
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_staff_intake_finds_the_worker_whatever_digits_were_typed():
    worker = make_worker("13800138002")
    staff = make_staff()
    for typed in ("13８00138002", "＋８６ １３８ ００１３ ８００２"):
        assert worker_get_or_create(actor=staff, mobile=typed, name="王师傅") == worker
    assert User.objects.filter(is_worker=True).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["١٣٨٠٠١٣٨٠٠٢", "13\u096800138002", "13８00138002\u200b"])
def test_digits_of_other_scripts_are_refused(client, typed):
    staff = make_staff()
    response = client.post(WORKER, {"mobile": typed})
    assert response.status_code == 200 and errors(response)
    with pytest.raises(ValidationError):
        worker_get_or_create(actor=staff, mobile=typed, name="王师傅")
    assert not User.objects.filter(is_worker=True).exists()


@pytest.mark.django_db
def test_the_queue_finds_a_worker_by_a_number_typed_with_fullwidth_digits(client):
    org = make_org()
    case = make_case(worker=org.worker, street=org.a.street, platform=org.platform)
    client.force_login(org.a.coordinator)
    typed = org.worker.mobile.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    rows = client.get(reverse("casework:queue"), {"q": typed}).context["page"].rows

    assert [row.pk for row in rows] == [case.pk]
