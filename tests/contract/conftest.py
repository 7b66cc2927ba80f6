"""Fixtures the contract tests share."""

from __future__ import annotations

import pytest

from tests.contract.integration_map import Tables, build


@pytest.fixture(scope="session")
def tables() -> Tables:
    """The integration map from the code, built once (it imports every context)."""
    return build()
