"""The channels' forms: one screen for an upstream work order, a file to import, a reply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.channels.models import UPSTREAM_CHOICES
from casework.core.forms import Form
from casework.intake.forms import StaffIntakeForm
from casework.organisation.models import Unit


class WorkOrderForm(StaffIntakeForm):
    """The staff intake screen, headed by the work order: where it came from, its number, the
    day it was received and its text (pasted: the rest of the form is pre-filled from it)."""

    channel = forms.ChoiceField(
        label=_("Where did the work order come from?"), choices=UPSTREAM_CHOICES
    )
    upstream_reference = forms.CharField(label=_("Work order number"), max_length=64)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("Their deadline (if the work order gives one)"),
        help_text=_("Empty: counted from the day received, by the channel's rule."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    work_order_text = forms.CharField(
        label=_("The work order's text"),
        help_text=_("Paste it whole and press “Read the text”: what it says plainly is filled in."),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    SECTIONS = (
        (
            _("The work order"),
            ("work_order_text", "channel", "upstream_reference", "received_on", "due_on"),
        ),
        # The intake's first section asks for the channel too: asked twice, the second select
        # (posted last) overrode the operator's choice.
        *(
            (title, tuple(name for name in names if name != "channel"))
            for title, names in StaffIntakeForm.SECTIONS
        ),
    )
    field_order = [name for _title, names in SECTIONS for name in names]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["jurisdiction"].queryset = units
        # A work order rarely says whether the worker still works there.
        self.fields["still_working"].required = False
        self.fields["still_working"].empty_value = None
        self.fields["consent_to_share"].initial = False


class ImportForm(Form):
    channel = forms.ChoiceField(
        label=_("Where do the work orders come from?"), choices=UPSTREAM_CHOICES
    )
    file = forms.FileField(
        label=_("The exported file (CSV or XLSX)"),
        help_text=_(
            "First line: the column names (工单编号, 受理时间, 姓名, 联系电话, 所属街道,"
            " 被反映单位, 诉求内容; optional 身份证号, 欠薪开始, 欠薪结束,"
            " 金额, 办理期限). At most 5 MB."
        ),
    )


class ReplyForm(Form):
    text = forms.CharField(
        label=_("Reply to the upstream source"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class TokenForm(Form):
    name = forms.CharField(label=_("Name (which system uses it)"), max_length=100)
    channel = forms.ChoiceField(label=_("Channel"), choices=UPSTREAM_CHOICES)
    unit = forms.ModelChoiceField(label=_("Files into"), queryset=Unit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
