from __future__ import annotations

from collections.abc import Iterator

import pytest

from cmh_testing.kernel.fake_vault import FakeVault


@pytest.fixture
def fake_vault() -> Iterator[FakeVault]:
    vault = FakeVault().start()
    yield vault
    vault.stop()
