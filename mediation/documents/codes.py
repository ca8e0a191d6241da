import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    """80 random bits as XXXX-XXXX-XXXX-XXXX."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one."""
    chars = "".join(c for c in (text or "").upper() if c.isalnum()).translate(_ALIASES)
    if len(chars) != 16 or any(c not in _ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))
