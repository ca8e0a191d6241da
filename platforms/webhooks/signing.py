"""Signatures in Stripe's manner: `Anxin-Signature: t=<unix time>,v1=<hex>`, where the hex is
HMAC-SHA256 of `f"{t}.{body}"` keyed with the endpoint's secret. While a rotated secret is
still honoured, a second `v1=` carries the signature by the previous one."""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Anxin-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: str) -> str:
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: str) -> str:
    parts = [f"t={timestamp}"]
    parts.extend(f"v1={signature(secret, timestamp, body)}" for secret in secrets_ if secret)
    return ",".join(parts)
