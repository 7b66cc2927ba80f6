"""Test support for the Labs context: its module composed in the memory profile and its
API over SQLite in the embedded profile (``compositions``). Test code only."""

from cmh_testing.labs.compositions import (
    LabsTestApp,
    build_labs_test_app,
    delivered,
    memory_labs,
    template_body,
)

__all__ = ["LabsTestApp", "build_labs_test_app", "delivered", "memory_labs", "template_body"]
