import pytest

from cmh_testing.users import UsersWorld


@pytest.fixture
def world() -> UsersWorld:
    return UsersWorld()
