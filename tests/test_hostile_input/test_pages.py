"""Every page that takes a form, through the client, with hostile submissions."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.contracts.builders import TODAY
from tests.test_hostile_input.targets import SHOWS, TARGETS
from tests.test_hostile_input.values import (
    BOUND,
    EXTRA_KEYS,
    FIGURES,
    FUZZ,
    encode,
    refused,
    row_counts,
    values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def _resolve(scene, path: str):
    obj = scene
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["replace", "remove", "duplicate", "extra"]),
        st.integers(min_value=0, max_value=10_000),
        values,
    ),
    min_size=1,
    max_size=4,
)


# Besides the random mutations, every field of every page gets the values that broke pages
# before (issue 13), chosen by what the field holds: hypothesis alone rarely draws them.
SWEEP_TEXT = ["\x00", "a\x07b", "x" * 100_000, "\u202e\ufeff😀", b"\xff\xfe"]
SWEEP_NUMBER = ["9223372036854775808", "99999999999999999999999", "-1", "²", "１２"]
SWEEP_DATE = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "２０２６-０１-０１",
]


def _sweep_values(value) -> list:
    text = str(value[0] if isinstance(value, list) and value else value)
    if len(text) >= 10 and text[:4].isdigit() and text[4] == "-":
        return SWEEP_DATE
    if text.isdigit():
        return SWEEP_NUMBER
    # Inside otherwise valid text too, so that length and required checks pass.
    return SWEEP_TEXT + [f"{text}{bad}{text}" for bad in ("\x00", "\x1b", "\u202e")]


FORM_ENCODED = "application/x-www-form-urlencoded"


def _send(client, target, url, data: dict, shows: str | None) -> None:
    pairs = [(key, v) for key, vs in data.items() for v in vs]
    before = row_counts()
    if target.method == "get":
        response = client.get(f"{url}?{encode(pairs)}")
    else:
        response = client.post(url, encode(pairs), content_type="application/x-www-form-urlencoded")
    FIGURES["examples"] += 1
    assert response.status_code < 500, (url, pairs)
    if target.method == "post" and refused(response, target.method):
        FIGURES["refused"] += 1
        changed = {
            t: n
            for t, n in row_counts().items()
            if before[t] != n and t not in target.refusal_writes
        }
        assert not changed, f"{url} refused {pairs!r} but rows changed: {changed}"
    else:
        FIGURES["accepted"] += 1
        if shows is not None:
            shown = client.get(shows)
            assert shown.status_code < 500, f"{shows} broke after {url} accepted {pairs!r}"


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.method}-{t.url}" for t in TARGETS])
def test_hostile_submissions_never_answer_500_and_refusals_change_nothing(scene, client, target):
    user = _resolve(scene, target.user)
    client.force_login(user)
    url = reverse(target.url, args=target.args(scene))
    base = target.valid(scene)
    names = list(base)
    shows = SHOWS[target.url](scene) if target.url in SHOWS else None

    def base_lists():
        return {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}

    FIGURES["pages"] += 1

    @FUZZ
    @given(mutations=MUTATIONS)
    def send(mutations):
        data = {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}
        for kind, index, value in mutations:
            name = names[index % len(names)] if names else EXTRA_KEYS[0]
            if kind == "replace":
                data[name] = [value]
            elif kind == "remove":
                data.pop(name, None)
            elif kind == "duplicate":
                data[name] = [*data.get(name, []), value]
            else:
                data[EXTRA_KEYS[index % len(EXTRA_KEYS)]] = [value]
        _send(client, target, url, data, shows)

    _send(client, target, url, {**base_lists(), "note": ["a\x00b"]}, shows)  # an unknown key
    for name in names:
        for value in _sweep_values(base[name]):
            data = {k: (v if isinstance(v, list) else [v]) for k, v in base.items()}
            data[name] = [value]
            _send(client, target, url, data, shows)
    send()


def test_figures_of_the_fuzzing_are_reported(request):
    """Runs last in this module: prints how much was sent (for the issue's note)."""
    print(f"\nbound directly: {BOUND}; through the pages: {FIGURES}")
