"""Test support for the Payments context: its module composed in the memory profile and
its API over SQLite in the embedded profile (``compositions``). Test code only."""

from cmh_testing.payments.compositions import (
    BASE_URL,
    SECRET,
    PaymentsTestApp,
    build_payments_test_app,
    memory_payments,
)

__all__ = ["BASE_URL", "SECRET", "PaymentsTestApp", "build_payments_test_app", "memory_payments"]
