"""Test support for the Users context and for suites that need a Users service."""

from cmh.users.testing.app import (
    build_users_container,
    build_users_test_app,
    migrate,
    service_token,
)
from cmh.users.testing.world import UsersWorld

__all__ = [
    "UsersWorld",
    "build_users_container",
    "build_users_test_app",
    "migrate",
    "service_token",
]
