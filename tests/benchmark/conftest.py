from tests.statistiek.conftest import history  # noqa: F401  (the seeded region, shared)
