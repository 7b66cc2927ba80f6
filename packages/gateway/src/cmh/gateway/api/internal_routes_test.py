"""``/internal`` is service-to-service only: the gateway answers 404 to every method and
never reaches an upstream, whatever token comes along."""

import pytest

from cmh_testing.gateway.world import World

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


@pytest.mark.parametrize("path", ["/internal/v1/users/secret", "/internal", "/internal/"])
async def test_every_method_on_internal_paths_is_404(world: World, path: str) -> None:
    before = world.users.api_hits
    for method in METHODS:
        for headers in ({}, world.auth(roles=frozenset({"service"}))):
            response = await world.client.request(method, path, headers=headers)
            assert response.status_code == 404, (method, path, response.status_code)
    assert world.users.api_hits == before
