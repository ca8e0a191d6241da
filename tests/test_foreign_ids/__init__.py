"""Every URL of the project, for every role, with the IDs of someone else's objects.

The world has two streets. Everything of street b (its cases, group, mediation session,
agreement, document, deadlines, evidence, its regional collective contract with clauses and
representatives, the other worker's notifications, a company only street b's cases name) is
foreign to every actor below, who all belong to street a (or to nobody).

Each URL pattern (found by walking the resolver, so a new page is covered the day it is added)
is requested by each actor:
- with every int path converter filled with the foreign object of its kind, by GET and by a
  POST whose body names foreign objects in every field a form might read: the answer is a
  404, never a 403 that tells it exists (405 for the wrong method, 302 to sign-in for the
  anonymous), never a page;
- with the actor's own objects in the path (or no IDs at all) and the same foreign body: any
  answer but a 500, and no page shows street b's data.
In every case nothing of street b changes: its rows (every field, history and timeline
counts) are checksummed before and after each request, and the row count of every table is
compared around each foreign-ID request.

The modules: test_pages (the walk above), test_query_ids (street b's objects in every query
string parameter), test_api (the platform and upstream JSON APIs). The world is in world.py
and tests/factories/foreign.py, the walk's helpers in walk.py.
"""
