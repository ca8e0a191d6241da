"""Resident identity card numbers (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECKS = "10X98765432"


def id_number_is_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS, strict=True))
    return number[17].upper() == _CHECKS[total % 11]


def validate_id_number(value: str) -> None:
    if value and not id_number_is_valid(value):
        raise ValidationError(
            _("This is not a valid ID card number: check the 18 characters."), code="id_number"
        )


def mask_id_number(number: str) -> str:
    """110105********1234: region and last four, for copies that leave the bureau."""
    return f"{number[:6]}{'*' * 8}{number[-4:]}" if len(number) == 18 else number
