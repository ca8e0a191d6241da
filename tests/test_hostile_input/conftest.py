"""The scene fixture for every test of the package."""

from tests.test_hostile_input.scene import scene  # noqa: F401  (the fixture)
