"""Issue 19: the intake form checks the posted street and platform against copies kept in the
process (casework/core/table_copies.py): a street or platform added a moment ago is accepted,
one that is not a street or not a platform is refused as before, and a form that narrows the
streets (a channel's own) still answers by its narrowed list."""

import pytest

from casework.intake.forms import StaffIntakeForm
from casework.organisation.models import Unit
from platforms.models import Company
from tests.casework.intake.test_intake_pages import STAFF_POST
from tests.factories.organisation import make_district, make_street

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-10-12")]


def _form(street, platform, form_class=StaffIntakeForm, **kwargs):
    data = STAFF_POST | {
        "jurisdiction": street.pk,
        "platform": platform.pk,
        "worker_name": "王师傅",
    }
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def test_a_street_and_platform_added_just_now_are_accepted(street, platform):
    assert _form(street, platform).is_valid()  # the copies are read
    new_street = make_street("新街道")
    new_platform = Company.objects.create(name="新平台公司", short_name="新平台", kind="platform")
    form = _form(new_street, new_platform)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["jurisdiction"] == new_street
    assert form.cleaned_data["platform"] == new_platform


def test_a_district_or_an_operator_is_not_a_choice(street, platform):
    assert _form(street, platform).is_valid()
    operator = Company.objects.create(name="蜂鸟配送站", kind="operator")
    form = _form(make_district(), operator)
    assert set(form.errors) == {"jurisdiction", "platform"}
    street.kind = "district"  # a street that stops being one
    street.save(update_fields=["kind"])
    assert "jurisdiction" in _form(street, platform).errors


@pytest.mark.parametrize("posted", ["", "x", "9999999999999999999999", "1\x00"])
def test_nonsense_is_refused_without_a_server_error(street, platform, posted):
    form = StaffIntakeForm(STAFF_POST | {"jurisdiction": posted, "platform": platform.pk})
    assert "jurisdiction" in form.errors


def test_a_channel_form_that_narrows_the_streets_is_answered_by_its_list(street, platform):
    from casework.channels.forms import WorkOrderForm

    other = make_street("别的街道")
    form = _form(other, platform, WorkOrderForm, units=Unit.objects.filter(pk=street.pk))
    assert "jurisdiction" in form.errors
    form = _form(street, platform, WorkOrderForm, units=Unit.objects.filter(pk=street.pk))
    assert "jurisdiction" not in form.errors
