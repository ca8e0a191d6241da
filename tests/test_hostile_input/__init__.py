"""Issue 13, generic test (b): hostile values to every form of Anxin, never a 500.

Two doors:

1. Every Form subclass under casework/, mediation/, arrears/ and platforms/ (found by walking
   the packages) is bound directly with hostile data. It must not raise, and when it calls the
   data valid, what it cleaned is safe to store: no control characters (but line breaks in
   multi-line text), no lone surrogates, dates within 2000–2100, integers within 64 bits.
2. Every page that takes a form (POST) or filters (GET) is sent, as a user of the right role,
   a valid submission with a few fields mutated: replaced by hostile values (huge, NUL and
   other controls, invalid UTF-8, RTL marks, emoji, fullwidth and superscript digits, numbers
   beyond 64 bits, years 1 and 9999, forged choices), removed, or duplicated, plus unknown
   keys. The answer is never a 500; when it is a refusal (a 4xx, the form again with errors,
   a redirect with an error message) no table has gained or lost a row (every model's count,
   history tables included, so any save of a tracked model counts).

Modules: test_forms (door 1), test_pages (door 2, the pages in targets.py), and two walks
that find their targets themselves: test_every_page_form (every POST form any page shows)
and test_query_strings (every GET page with hostile query strings).

Bounded for `make test`: 25 examples per form and per page; the figures are in the report.
"""
