"""The review screen: every answer of the saved steps, as the worker will see it on paper."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.cases.choices import MONEY_CATEGORIES
from casework.core.identity import mask_id_number


@dataclass
class ReviewStep:
    number: int
    title: str
    answers: list[tuple[str, str]]


def _shown(form: forms.Form, name: str, value) -> str:
    field = form.fields[name]
    if name == "worker_id_number":
        return mask_id_number(value) if value else ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value) if value is not None else ""


def review_steps(valid_forms: dict[int, forms.Form], titles: dict[int, str]) -> list[ReviewStep]:
    """Label and answer of every field a worker filled in, step by step (money only for
    money problems, as the complaint will be filed)."""
    category = valid_forms[1].cleaned_data.get("category", "")
    steps = []
    for number, form in valid_forms.items():
        answers = []
        for name, value in form.cleaned_data.items():
            if name == "amount_claimed" and category not in MONEY_CATEGORIES:
                continue
            shown = _shown(form, name, value)
            if shown.strip():
                answers.append((str(form.fields[name].label), shown))
        steps.append(ReviewStep(number=number, title=str(titles[number]), answers=answers))
    return steps
