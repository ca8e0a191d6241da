"""Every form class of the project, bound directly with hostile values."""

import pytest
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from tests.contracts.builders import TODAY
from tests.test_hostile_input.scene import FORM_CLASSES, field_names
from tests.test_hostile_input.values import (
    BOUND,
    EXTRA_KEYS,
    FUZZ,
    assert_cleaned_is_safe,
    decode,
    values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.now(TODAY, hour=10)]


def test_the_walk_finds_every_form_of_the_project():
    assert len(FORM_CLASSES) >= 25, [c.__name__ for c in FORM_CLASSES]


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_form_bound_with_hostile_values_refuses_or_cleans_safely(scene, form_class):
    kwargs = scene.kwargs.get(form_class.__name__, {})
    names = field_names(form_class(**kwargs))
    BOUND["forms"] += 1

    @FUZZ
    @given(
        data=st.dictionaries(
            st.sampled_from(names + EXTRA_KEYS),
            st.one_of(values, st.lists(values, min_size=2, max_size=3)),
            max_size=len(names) + 2,
        )
    )
    def bind(data):
        BOUND["examples"] += 1
        posted = MultiValueDict(
            {
                key: [decode(v) for v in value] if isinstance(value, list) else [decode(value)]
                for key, value in data.items()
            }
        )
        form = form_class(posted, MultiValueDict(), **kwargs)
        if form.is_valid():
            BOUND["valid"] += 1
            assert_cleaned_is_safe(form)

    bind()
