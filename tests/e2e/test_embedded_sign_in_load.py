"""The sign-in load scenario (tests/e2e/sign_in_load.py) on the embedded platform, served as
`make run` serves it."""

from __future__ import annotations

from pathlib import Path

from cmh.apps.platform.main import server_config
from cmh.apps.platform.settings import PlatformSettings
from cmh.kernel.settings import HttpSettings
from cmh_testing.kernel.serving import free_port, running
from cmh_testing.users.app import CHEAP_HASHING
from tests.e2e.sign_in_load import a_classroom_gets_in_and_a_spread_out_guesser_does_not


async def test_a_classroom_behind_one_address_gets_in_and_a_spread_out_guesser_does_not(
    tmp_path: Path,
) -> None:
    settings = PlatformSettings(
        data_dir=str(tmp_path), seed_demo_data=False, http=HttpSettings(port=free_port())
    )
    async with running(server_config(settings, CHEAP_HASHING)) as base:
        await a_classroom_gets_in_and_a_spread_out_guesser_does_not(base)
