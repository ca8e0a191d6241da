"""What a platform may read of a worker: enough to find them in its own records, no more.

Names keep their first character (张*), mobile numbers their first three and last four digits
(138****8000), ID numbers their region and last four. Free text a worker typed is scanned for
mobile and ID numbers too: workers write them into descriptions."""

import re
from datetime import date

from casework.core.identity import id_number_is_valid, mask_id_number

_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")
_ID_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{6})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, min(len(name) - 1, 3))


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile and len(mobile) == 11 else ""


def _looks_like_id_number(number: str) -> bool:
    # Order numbers are 18 digits too: an ID number also has a birth date and its check digit.
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100 and id_number_is_valid(number.upper())


def mask_text(text: str) -> str:
    text = _ID_IN_TEXT.sub(
        lambda m: mask_id_number(m.group(0)) if _looks_like_id_number(m.group(0)) else m.group(0),
        text or "",
    )
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
