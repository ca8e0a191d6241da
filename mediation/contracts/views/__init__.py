"""Pages of collective contracts, split like the services: the contract and its text
(terms.py), its proceedings (proceedings.py) and its lifecycle (lifecycle.py).

Views parse input, call one service or selector and render. A contract the user may not see
answers 404; a refusal comes back as a message or as the form's errors, never a 500.
"""
