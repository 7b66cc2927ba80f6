"""Test support for the Forum context: its module composed in the memory profile and its
API in the embedded profile (``compositions``). Test code only."""

from cmh_testing.forum.compositions import (
    ForumTestApp,
    build_forum_test_app,
    delivered,
    memory_forum,
)

__all__ = ["ForumTestApp", "build_forum_test_app", "delivered", "memory_forum"]
