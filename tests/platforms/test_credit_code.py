import pytest
from django.core.exceptions import ValidationError

from platforms.validators import uscc_check_character, validate_uscc

# Codes in the published format whose check characters were computed independently.
REAL_CODES = ["91330100716105852F", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_validate(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    "code",
    [
        "91330100716105852G",  # wrong check character
        "91330100716105852",  # 17 characters
        "9133010071610585ZF",  # Z is not in the standard's alphabet
        "",
        "ABCDEFGHIJKLMNOPQR",
    ],
)
def test_invalid_codes_are_refused_with_a_message(code):
    with pytest.raises(ValidationError) as refused:
        validate_uscc(code)
    assert refused.value.messages[0]


def test_one_mistyped_character_is_caught():
    body = "91330108MA2H00010"
    code = body + uscc_check_character(body)
    validate_uscc(code)
    typo = code[:5] + ("1" if code[5] != "1" else "2") + code[6:]
    with pytest.raises(ValidationError):
        validate_uscc(typo)
