"""Writes on the wage-arrears ledger: verified amounts, payments, their corrections and the
worker's confirmations (the ledger issue fills this module).

Every write takes an `actor`, locks in the house order (the case, then its claim, then its
payments, by primary key) and goes through casework's services for anything on the case
itself; the rollup tables are PostgreSQL's to keep (arrears/models.py).
"""
