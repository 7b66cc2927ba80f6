import asyncio
from collections import Counter

from cmh_testing.gateway.world import World


async def test_weighted_round_robin_sends_three_to_one(world: World) -> None:
    seen: Counter[str] = Counter()
    for _ in range(400):
        response = await world.client.get("/api/v1/courses/c-1/outline", headers=world.auth())
        seen[response.json()["instance"]] += 1
    assert seen == {"courses-a": 300, "courses-b": 100}


async def test_an_instance_down_gets_no_traffic_and_comes_back(world: World) -> None:
    world.courses_b.ready = False
    await asyncio.sleep(0.4)
    before = world.courses_b.api_hits
    for _ in range(40):
        response = await world.client.get("/api/v1/enrollments/x", headers=world.auth())
        assert response.json()["instance"] == "courses-a"
    assert world.courses_b.api_hits == before

    world.courses_b.ready = True
    await asyncio.sleep(0.4)
    instances = {
        (await world.client.get("/api/v1/enrollments/x", headers=world.auth())).json()["instance"]
        for _ in range(8)
    }
    assert instances == {"courses-a", "courses-b"}


async def test_routes_by_longest_prefix_and_keeps_path_and_query(world: World) -> None:
    response = await world.client.get("/api/v1/admin/users?page=2", headers=world.auth())
    assert response.status_code == 200
    assert response.json()["instance"] == "users"
    assert response.json()["path"] == "/api/v1/admin/users"
    assert response.json()["query"] == "page=2"


async def test_an_escaped_path_is_forwarded_as_the_client_sent_it(world: World) -> None:
    # A decoded %0A is no URL (the gateway answered 500), a decoded %2F another path.
    response = await world.client.get("/api/v1/admin/a%0Ab%2Fc?page=2", headers=world.auth())
    assert response.status_code == 200, response.text
    assert response.json()["raw_path"] == "/api/v1/admin/a%0Ab%2Fc"
    assert response.json()["path"] == "/api/v1/admin/a\nb/c"
    assert response.json()["query"] == "page=2"


async def test_internal_paths_and_unknown_prefixes_are_not_found(world: World) -> None:
    internal = await world.client.get("/internal/v1/users/secret", headers=world.auth())
    unknown = await world.client.get("/api/v1/nothing-here", headers=world.auth())
    assert internal.status_code == 404
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "route_not_found"
    assert unknown.headers["content-type"] == "application/problem+json"


async def test_jwks_is_routed_to_users_without_a_token(world: World) -> None:
    response = await world.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.json()["keys"][0]["kid"] == world.key.kid
