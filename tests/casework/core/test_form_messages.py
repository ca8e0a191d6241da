"""What a worker reads when a form refuses their input is plain Chinese: no "变量"
("variable"), sentences end with a full-width full stop, and each message is said once
(a 5-digit sign-in code showed "请输入短信中的 6 位数字" twice)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from tests.contracts.builders import TODAY
from tests.test_hostile_input.scene import FORM_CLASSES, scene  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]

BAD_VALUES = ["", "1", "12345", "x" * 5000, "1234567890123.456", "0.001", "abc", "2026-13-45"]


def _messages_problems(form) -> list[str]:
    problems = []
    for name, errors in form.errors.items():
        messages = [str(message) for message in errors]
        if len(set(messages)) != len(messages):
            problems.append(f"{name}: said twice: {messages}")
        for message in messages:
            if "变量" in message:
                problems.append(f"{name}: “variable”: {message}")
            if message.endswith(".") or re.search(r"[\u4e00-\u9fff][.,;:!?]", message):
                problems.append(f"{name}: ASCII punctuation: {message}")
            if re.search(r"\b(?:Ensure|Enter|Select|This field)\b", message):
                problems.append(f"{name}: English: {message}")
    return problems


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_form_refuses_bad_input_in_plain_chinese_once(scene, form_class):  # noqa: F811
    kwargs = scene.kwargs.get(form_class.__name__, {})
    problems = []
    with translation.override("zh-hans"):
        names = [form_class(**kwargs).add_prefix(name) for name in form_class(**kwargs).fields]
        for value in BAD_VALUES:
            posted = MultiValueDict({name: [value] for name in names})
            form = form_class(posted, MultiValueDict(), **kwargs)
            form.is_valid()
            problems += _messages_problems(form)
    assert not problems, "\n".join(sorted(set(problems)))


def test_a_five_digit_sign_in_code_is_refused_once_in_chinese(client):
    client.post(reverse("casework:worker_sign_in"), {"mobile": "13912345678"})
    page = client.post(reverse("casework:worker_sign_in_code"), {"code": "12345"})
    text = page.content.decode()
    errors = re.findall(r'<ul class="field-errors"[^>]*>(.*?)</ul>', text, re.S)
    assert errors, "the code is refused on the page"
    items = re.findall(r"<li>(.*?)</li>", errors[0], re.S)
    assert len(items) == 1, f"the message is said once: {items}"
    assert items[0].endswith("。") and "变量" not in items[0], items[0]
