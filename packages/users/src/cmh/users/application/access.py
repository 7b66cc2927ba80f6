"""Who may do what: the authorization rules every use case applies to its caller."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden, NotFound
from cmh.users.domain.roles import is_service


def ensure_may_see(caller: Principal, user_id: str) -> None:
    """Yourself or an admin; anyone else learns nothing, not even that the user exists."""
    if not caller.may_act_for(user_id):
        raise NotFound("no such user")


def ensure_admin(caller: Principal) -> None:
    if not caller.is_admin:
        raise Forbidden("only administrators may do this", code="admin_only")


def ensure_service_or_admin(caller: Principal) -> None:
    if not (is_service(caller) or caller.is_admin):
        raise Forbidden(
            "only platform services and administrators may do this", code="service_only"
        )


def ensure_service(caller: Principal) -> None:
    if not is_service(caller):
        raise Forbidden("only platform services may do this", code="service_only")


def ensure_service_or_self(caller: Principal, user_id: str) -> None:
    if not is_service(caller):
        ensure_may_see(caller, user_id)
