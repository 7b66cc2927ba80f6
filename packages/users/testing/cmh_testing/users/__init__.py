"""Test support for the Users context and for suites that need a Users service: every
use case over the in-memory adapters (``world``), the HTTP app over a database (``app``,
``http``), a fake Auth0 (``fake_auth0``). Test code only."""

from cmh_testing.users.app import (
    build_users_container,
    build_users_test_app,
    migrate,
    service_token,
)
from cmh_testing.users.world import UsersWorld

__all__ = [
    "UsersWorld",
    "build_users_container",
    "build_users_test_app",
    "migrate",
    "service_token",
]
