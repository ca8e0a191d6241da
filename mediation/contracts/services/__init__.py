"""Writes on collective contracts, by concern: the text (terms.py: key terms, clauses,
versions, the PDF), the proceedings (proceedings.py: representatives, rounds, the congress
vote) and the lifecycle (lifecycle.py: the state machine, renewal, the sweep). records.py
holds the steps they share; errors.py the two ways a write fails before it refuses."""
