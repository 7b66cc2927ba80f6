"""The Users HTTP API: ``USERS_ROUTES`` is what a composition root mounts; the embedded
profile adds ``LOCAL_IDP_ROUTES``, its stand-in identity provider's sign-in page."""

from cmh.users.api.admin import AdminUsersController
from cmh.users.api.auth import AuthController, WellKnownController
from cmh.users.api.internal import InternalAuthController, InternalUsersController
from cmh.users.api.local_idp import LocalIdpController
from cmh.users.api.sso import SsoController
from cmh.users.api.users import UsersController

USERS_ROUTES = [
    AuthController,
    SsoController,
    WellKnownController,
    UsersController,
    AdminUsersController,
    InternalUsersController,
    InternalAuthController,
]

LOCAL_IDP_ROUTES = [LocalIdpController]

__all__ = ["LOCAL_IDP_ROUTES", "USERS_ROUTES"]
