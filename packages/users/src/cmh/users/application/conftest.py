import pytest

from cmh.users.testing import UsersWorld


@pytest.fixture
def world() -> UsersWorld:
    return UsersWorld()
