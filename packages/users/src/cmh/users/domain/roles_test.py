import pytest

from cmh.kernel.auth.principal import Role
from cmh.kernel.errors import InvalidInput
from cmh.users.domain.roles import SERVICE_ROLE, is_service, parse_roles, service_principal


def test_known_roles_parse() -> None:
    assert parse_roles(["learner", "admin", "admin"]) == {Role.LEARNER, Role.ADMIN}


@pytest.mark.parametrize("raw", [[], ["superuser"], [SERVICE_ROLE]])
def test_empty_unknown_or_service_roles_are_refused(raw: list[str]) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_roles(raw)
    assert error.value.field == "roles"


def test_service_principals_are_recognised() -> None:
    principal = service_principal("payments")
    assert is_service(principal)
    assert principal.user_id == "service:payments"
    assert not principal.is_admin
