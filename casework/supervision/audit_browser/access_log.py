"""The personal-data access log as supervisors read it: newest first, their units only, a page
at a time (keyset over (at, id))."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.core.forms import Form
from casework.organisation.models import User
from casework.privacy.models import AccessKind, DataAccess
from casework.supervision.audit_browser.selectors import PAGE_SIZE, Cursor, audit_scope_q


class AccessFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *AccessKind.choices]
    )
    case = forms.CharField(label=_("Case reference"), required=False, max_length=20)

    def clean_case(self):
        value = self.cleaned_data.get("case") or ""
        if any(ord(c) < 32 for c in value):
            raise forms.ValidationError(_("Remove the control characters from this field."))
        return value.strip()


@dataclass
class AccessPage:
    rows: list[DataAccess]
    next_cursor: str | None


def access_log_page_for_user(
    *, user: User, kind: str = "", case: str = "", after: str | None = None
) -> AccessPage:
    """NotFound unless the user supervises or administers (audit_scope_q)."""
    rows = DataAccess.objects.filter(audit_scope_q(user))
    if kind:
        rows = rows.filter(kind=kind)
    if case:
        rows = rows.filter(case__reference__iexact=case)
    cursor = Cursor.decode(after)
    if cursor is not None:
        rows = rows.filter(
            Q(at__lte=cursor.recorded_at) & (Q(at__lt=cursor.recorded_at) | Q(id__lt=cursor.seq))
        )
    found = list(
        rows.select_related("actor", "team", "case", "subject").order_by("-at", "-id")[
            : PAGE_SIZE + 1
        ]
    )
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    last = found[-1] if more else None
    return AccessPage(
        rows=found,
        next_cursor=Cursor(last.at, last.id).encode() if last else None,
    )
