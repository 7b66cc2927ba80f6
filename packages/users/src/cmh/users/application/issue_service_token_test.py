import pytest

from cmh.kernel.errors import Unauthenticated
from cmh.users.domain.tokens import digest
from cmh_testing.users import UsersWorld


async def test_a_service_gets_a_token_with_the_service_role() -> None:
    world = await UsersWorld.open(service_clients={"payments": digest("payments-secret")})

    token = await world.issue_service_token().execute(
        client_id="payments", client_secret="payments-secret"
    )

    principal = world.access_tokens.inspect(token.access_token, now=world.clock.now()).principal
    assert principal.user_id == "service:payments"
    assert principal.roles == {"service"}
    assert principal.token_id
    with pytest.raises(Unauthenticated) as error:
        await world.issue_service_token().execute(client_id="payments", client_secret="nope")
    assert error.value.code == "invalid_client"
