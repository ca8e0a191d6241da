# The complaint pages' fixtures: a street with a team, a platform, a coordinator.
from tests.casework.cases.test_case_pages import (  # noqa: F401
    coordinator,
    media_root,
    platform,
    street,
)
