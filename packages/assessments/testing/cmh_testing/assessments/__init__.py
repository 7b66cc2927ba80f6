"""Test support for the Assessments context: its module composed in the memory profile
and its API over SQLite in the embedded profile (``compositions``). Test code only."""

from cmh_testing.assessments.compositions import (
    PUBLIC_URL,
    AssessmentsTestApp,
    build_assessments_test_app,
    delivered,
    memory_assessments,
)

__all__ = [
    "PUBLIC_URL",
    "AssessmentsTestApp",
    "build_assessments_test_app",
    "delivered",
    "memory_assessments",
]
