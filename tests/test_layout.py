"""The house rules a newcomer relies on when reading the code (README, Layout)."""

import re
from pathlib import Path

from django_fsm import FSMField

from casework.cases.lifecycle import OPEN_STATES, STATES, TRANSITIONS
from casework.cases.models import Case

ROOT = Path(__file__).resolve().parents[1]
APPS = ["casework", "arrears", "platforms", "mediation", "config"]


def _modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in _modules()
        if (count := len(path.read_text().splitlines())) > 400
    }
    assert long == {}, "split these modules by concern"


def test_timeline_entries_are_written_only_through_the_timeline_module():
    door = ROOT / "casework" / "timeline" / "events.py"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _modules()
        if path != door
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"CaseEvent\(|CaseEvent\.objects\.(create|bulk_create)", line)
        and not line.lstrip().startswith("class ")
    ]
    assert offenders == [], "use a named function of casework.timeline.events"


def test_the_lifecycle_table_covers_the_state_machine_exactly():
    state_field = next(f for f in Case._meta.fields if isinstance(f, FSMField))
    machine = {t.name for t in Case._meta.get_field(state_field.name).get_all_transitions(Case)}
    assert set(TRANSITIONS) == machine
    assert set(STATES) == {value for value, _label in state_field.choices}
    # A case can only leave the open states by a concluding transition.
    for transition in Case._meta.get_field(state_field.name).get_all_transitions(Case):
        leaves_open = transition.source in OPEN_STATES and transition.target not in OPEN_STATES
        if leaves_open:
            assert TRANSITIONS[transition.name].concludes, transition.name
