import pytest

from tests.factories import make_application


@pytest.fixture
def application(gongan, gongan_clerk):
    """Received in person on Monday 2026-09-28 and registered: due 2026-10-30."""
    return make_application(gongan, gongan_clerk)
