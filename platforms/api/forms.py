from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form


class TokenForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “our customer service system”."),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.ANXIN_API_TOKEN_MAX_DAYS,
        initial=settings.ANXIN_API_TOKEN_DEFAULT_DAYS,
    )
