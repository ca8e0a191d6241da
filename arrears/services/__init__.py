"""Writes on the wage-arrears ledger: verified amounts, payments, their corrections and the
worker's confirmations.

Every write takes an `actor`, locks the case row first (Case.objects.lock_for: the house lock
order, case then payments), checks the actor's role on the case, and goes through casework's
services for anything on the case itself; the rollup tables are PostgreSQL's to keep
(arrears/models.py). Other apps call these functions, never the models.
"""

from arrears.services.confirmations import payment_confirm, payment_verify_proof
from arrears.services.payments import payment_record, payment_reverse
from arrears.services.verified import verified_amount_set

__all__ = [
    "payment_confirm",
    "payment_record",
    "payment_reverse",
    "payment_verify_proof",
    "verified_amount_set",
]
