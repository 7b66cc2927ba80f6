"""Test support for the Assessments context: its module composed in the memory profile
and its API over SQLite in the embedded profile (``compositions``), a fake of Proctorio's
documented launch endpoint (``fake_proctorio``). Test code only."""

from cmh_testing.assessments.compositions import (
    PUBLIC_URL,
    AssessmentsTestApp,
    build_assessments_test_app,
    delivered,
    memory_assessments,
)
from cmh_testing.assessments.fake_proctorio import FakeProctorio

__all__ = [
    "PUBLIC_URL",
    "AssessmentsTestApp",
    "FakeProctorio",
    "build_assessments_test_app",
    "delivered",
    "memory_assessments",
]
