"""The sign-in load scenario (tests/e2e/sign_in_load.py) through the distributed profile's
gateway: its per-address limits in Redis and the users service's login throttle."""

from __future__ import annotations

import pytest

from cmh_testing.kernel.servers import server_url
from tests.e2e.sign_in_load import a_classroom_gets_in_and_a_spread_out_guesser_does_not

pytestmark = [pytest.mark.integration, pytest.mark.distributed]


async def test_a_classroom_behind_one_address_gets_in_and_a_spread_out_guesser_does_not() -> None:
    await a_classroom_gets_in_and_a_spread_out_guesser_does_not(server_url("CMH_TEST_GATEWAY_URL"))
