"""Writes on collective contracts, by concern: the text (terms.py: key terms, clauses,
versions, the PDF), the proceedings (proceedings.py: representatives, rounds, the congress
vote) and the lifecycle (lifecycle.py: the state machine's steps, renewal, the sweep; steps.py:
the one mechanism every step goes through, driven by the table in transitions.py). records.py
holds the steps every write shares; errors.py the two ways a write fails besides a refusal."""
