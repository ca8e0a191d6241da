"""A worker's full legal name, as agreements and court papers print it."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 50


def normalise_person_name(value: str) -> str:
    """Full-width letters folded (NFKC) and runs of spaces made one: "张　伟 " is "张 伟"."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()


def validate_person_name(value: str) -> None:
    """A name is letters (any script) with the odd space, dot or hyphen: never a phone
    number, whole or masked ("139****5678"), which is what the agreement printed before."""
    if any(char.isdigit() or char in "*＊" for char in value):
        raise ValidationError(
            _("Type the name as on the ID card, not a phone number."), code="name_digits"
        )
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValidationError(_("Type the name as on the ID card."), code="name_letters")
