import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland China mobile numbers: 11 ASCII digits starting 13-19 (\d would take any script's).
_MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[\s\-()]")


def normalise_mainland_mobile(raw: str) -> str:
    """Return the 11-digit number, accepting spaces, dashes and a +86 / 0086 prefix.

    Fullwidth and other compatibility forms (１３８, ＋８６) become their ASCII digits first
    (NFKC), so one number is one account however it was typed; digits of other scripts are
    refused. Raises ValidationError for anything that is not a mainland mobile number.
    """
    number = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw or "")))
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    if not _MAINLAND_MOBILE.fullmatch(number):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, such as 138 0013 8000."),
            code="invalid_mobile",
        )
    return number


def validate_mainland_mobile(value: str) -> None:
    if value != normalise_mainland_mobile(value):
        raise ValidationError(_("Store the mobile number as 11 digits."), code="invalid_mobile")
