"""Django's own words, said again in ours: the project's catalog (LOCALE_PATHS) is read before
Django's, so a msgid listed here gets our Chinese everywhere Django says it (every form, the
admin). Django's Chinese says "确保该变量至少包含 10 字符" (a "variable", to a delivery rider),
ends sentences with an ASCII full stop ("确认总共不超过 12 个数字."), and Django 6.1's newer
strings ("- Select an option -", the admin's "Filter by …") have no Chinese at all.

Nothing imports the names below: they exist so that makemessages keeps these msgids in our
catalog. Each msgid must be exactly Django's (a test renders them and checks our words win).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

FORM_WORDS = [
    _("This field is required."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Enter a valid value."),
    _("Enter a valid integer."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Select a valid choice. That choice is not one of the available choices."),
    _("Please correct the duplicate values below."),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
]

ADMIN_WORDS = [
    _("- Select an option -"),
    # django/contrib/admin/templates/admin/date_hierarchy.html ({% blocktranslate %})
    _("Filter by %(field_name)s"),
]
