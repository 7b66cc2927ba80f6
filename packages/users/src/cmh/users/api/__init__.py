"""The Users HTTP API: ``USERS_ROUTES`` is what a composition root mounts."""

from cmh.users.api.admin import AdminUsersController
from cmh.users.api.auth import AuthController, WellKnownController
from cmh.users.api.internal import InternalAuthController, InternalUsersController
from cmh.users.api.users import UsersController

USERS_ROUTES = [
    AuthController,
    WellKnownController,
    UsersController,
    AdminUsersController,
    InternalUsersController,
    InternalAuthController,
]

__all__ = ["USERS_ROUTES"]
