"""Which roles an account may hold, and the role that marks another service's token."""

from __future__ import annotations

from collections.abc import Iterable

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import InvalidInput

# Carried by tokens the platform issues to its own services (payments, courses, labs);
# never assignable to an account.
SERVICE_ROLE = "service"

MAX_ROLES = len(Role)


def parse_roles(raw: Iterable[str], *, field: str = "roles") -> frozenset[Role]:
    values = list(raw)
    if not values:
        raise InvalidInput("an account needs at least one role", field=field)
    roles: set[Role] = set()
    for value in values:
        try:
            roles.add(Role(value))
        except ValueError:
            choices = ", ".join(role.value for role in Role)
            raise InvalidInput(f"unknown role {value!r}; one of {choices}", field=field) from None
    return frozenset(roles)


def is_service(principal: Principal) -> bool:
    return SERVICE_ROLE in principal.roles


def service_principal(service: str, *, token_id: str = "") -> Principal:
    """The identity of another platform service: in its tokens, and when it calls Users
    in process (embedded profile)."""
    return Principal(
        user_id=f"service:{service}", roles=frozenset({SERVICE_ROLE}), token_id=token_id
    )
