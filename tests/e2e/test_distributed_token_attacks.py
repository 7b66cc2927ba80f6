"""The JWT attack set against the distributed profile (`make up-distributed`): through the
gateway and straight at every service's own port (each verifies tokens itself, against the
users service's JWKS), every forged token is 401 and none is accepted."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from cmh.kernel.auth.tokens import SigningKey, TokenSettings
from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh_testing.kernel.servers import server_url
from cmh_testing.kernel.token_attacks import forged_access_tokens
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
LEARNER = DEMO_ACCOUNTS[0]
# One authenticated route per service, on the ports infra/distributed/lib.sh gives them.
SERVICES = {
    "users": (8101, "/api/v1/users/me"),
    "courses": (8102, "/api/v1/enrollments/me"),
    "content": (8103, "/api/v1/content/assets/nothing-here"),
    "labs": (8104, "/api/v1/labs/sessions/me"),
    "assessments": (8105, "/api/v1/certificates/me"),
    "payments": (8106, "/api/v1/payments/invoices/me"),
    "notifications": (8107, "/api/v1/notifications/me"),
    "analytics": (8108, "/api/v1/analytics/me/dashboard"),
    "forum": (8109, "/api/v1/forum/boards"),
}


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def test_every_token_attack_is_401_at_the_gateway_and_every_service(
    gateway: httpx.AsyncClient,
) -> None:
    key_file = Path(server_url("CMH_TEST_DISTRIBUTED_STATE")) / "secrets" / "users-signing.pem"
    login = await gateway.post(
        "/api/v1/auth/login", json={"email": LEARNER.email, "password": LEARNER.password}
    )
    assert login.status_code == 200, login.text
    me = await gateway.get(
        "/api/v1/users/me", headers={"authorization": f"Bearer {login.json()['access_token']}"}
    )
    tokens = forged_access_tokens(
        SigningKey.from_pem(key_file.read_bytes()),
        TokenSettings(),
        me.json()["id"],
        datetime.now(UTC),
    )
    tokens["a refresh token as the access token"] = login.json()["refresh_token"]
    host = httpx.URL(str(gateway.base_url)).host
    accepted, wrong, requests = [], [], 0
    # The services serve HTTPS with the profile's CA.
    trust = ssl.create_default_context(cafile=server_url("CMH_TEST_DISTRIBUTED_CA_FILE"))
    async with httpx.AsyncClient(timeout=30, verify=trust) as direct:
        for service, (port, path) in SERVICES.items():
            for where, client, url in (
                ("gateway", gateway, path),
                ("service", direct, f"https://{host}:{port}{path}"),
            ):
                for attack, token in tokens.items():
                    answer = await client.get(url, headers={"authorization": f"Bearer {token}"})
                    requests += 1
                    if answer.status_code < 400:
                        accepted.append(f"{attack} on {service} ({where})")
                    elif answer.status_code != 401:
                        wrong.append(f"{attack} on {service} ({where}): {answer.status_code}")
    print(
        f"\ndistributed token attacks: {len(tokens)} attacks x {len(SERVICES)} services x "
        f"(gateway, own port) = {requests} requests, {len(accepted)} accepted"
    )
    assert not accepted, accepted
    assert not wrong, wrong


async def test_an_erased_accounts_token_is_refused_on_every_services_own_port(
    gateway: httpx.AsyncClient,
) -> None:
    """Erasing an account stamps its tokens void in the users service's Redis; every service
    checks that stamp itself, so a service called on its own port refuses the token at once
    (within the stamp cache, 2 s), not at its expiry."""
    email = f"erased-{uuid.uuid4().hex[:10]}@example.org"
    password = "erase-me-soon-42"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": "Soon Erased"},
    )
    assert registered.status_code == 201, registered.text
    login = await gateway.post("/api/v1/auth/login", json={"email": email, "password": password})
    headers = {"authorization": f"Bearer {login.json()['access_token']}"}
    host = httpx.URL(str(gateway.base_url)).host
    trust = ssl.create_default_context(cafile=server_url("CMH_TEST_DISTRIBUTED_CA_FILE"))
    async with httpx.AsyncClient(timeout=30, verify=trust) as direct:
        before = {
            service: (await direct.get(f"https://{host}:{port}{path}", headers=headers)).status_code
            for service, (port, path) in SERVICES.items()
        }
        assert all(status != 401 for status in before.values()), before
        assert (await gateway.delete("/api/v1/users/me", headers=headers)).status_code == 204

        answers: dict[str, int] = {}

        async def refused_everywhere() -> bool:
            for service, (port, path) in SERVICES.items():
                url = f"https://{host}:{port}{path}"
                answers[service] = (await direct.get(url, headers=headers)).status_code
            return set(answers.values()) == {401}

        await eventually(refused_everywhere, timeout=10)
    print(f"\nan erased account's token on each service's own port: {answers}")
