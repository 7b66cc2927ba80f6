from cmh.gateway.domain.forwarded_principal import verify_forwarded_principal
from cmh_testing.gateway.world import SECRET, World


async def test_hop_by_hop_request_headers_are_dropped(world: World) -> None:
    response = await world.client.get(
        "/api/v1/courses/c-1",
        headers={
            "Connection": "keep-alive, X-Client-Hop",
            "X-Client-Hop": "1",
            "Keep-Alive": "timeout=300",
            "TE": "trailers",
            "Proxy-Authorization": "Basic c2VjcmV0",
            "X-End-To-End": "kept",
        },
    )
    seen = response.json()["headers"]
    for dropped in ("x-client-hop", "keep-alive", "te", "proxy-authorization"):
        assert dropped not in seen
    assert seen["x-end-to-end"] == "kept"


async def test_hop_by_hop_response_headers_are_dropped(world: World) -> None:
    response = await world.client.get("/api/v1/lab/hop", headers=world.auth())
    assert response.status_code == 200
    for dropped in ("x-upstream-hop", "keep-alive", "proxy-authenticate"):
        assert dropped not in response.headers
    assert response.headers["x-end-to-end"] == "kept"


async def test_ids_traceparent_and_forwarded_headers_reach_the_upstream(world: World) -> None:
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = await world.client.get(
        "/api/v1/courses/c-1",
        headers={
            "x-request-id": "req-42",
            "x-correlation-id": "corr-7",
            "traceparent": traceparent,
            "x-forwarded-for": "203.0.113.9",
        },
    )
    seen = response.json()["headers"]
    assert seen["x-request-id"] == "req-42"
    assert seen["x-correlation-id"] == "corr-7"
    assert seen["traceparent"] == traceparent
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["x-forwarded-host"] == world.gateway.url.removeprefix("http://")
    assert response.headers["x-request-id"] == "req-42"
    assert response.headers["traceparent"] == traceparent


async def test_a_minted_request_id_is_forwarded(world: World) -> None:
    response = await world.client.get("/api/v1/courses/c-1")
    assert response.json()["headers"]["x-request-id"] == response.headers["x-request-id"]


async def test_the_verified_principal_is_forwarded_signed_with_the_token(world: World) -> None:
    token = world.token("u-9", roles=frozenset({"learner", "instructor"}))
    response = await world.client.get(
        "/api/v1/users/u-9/x", headers={"authorization": f"Bearer {token}"}
    )
    seen = response.json()["headers"]
    principal = verify_forwarded_principal(seen, SECRET)
    assert principal is not None
    assert principal.user_id == "u-9"
    assert principal.roles == {"learner", "instructor"}
    assert principal.token_id == "t-u-9"
    assert seen["authorization"] == f"Bearer {token}"


async def test_a_client_cannot_forge_the_principal_header(world: World) -> None:
    response = await world.client.get(
        "/api/v1/courses/c-1",
        headers={
            "x-cmh-principal": '{"sub":"admin","roles":["admin"],"tier":"pro","jti":"x"}',
            "x-cmh-principal-signature": "00",
        },
    )
    seen = response.json()["headers"]
    assert "x-cmh-principal" not in seen
    assert "x-cmh-principal-signature" not in seen


async def test_an_upstreams_cookie_goes_to_its_caller_and_no_one_else(world: World) -> None:
    first = await world.client.get(
        "/api/v1/lab/cookie", params={"session": "alices"}, headers=world.auth()
    )
    assert first.headers["set-cookie"].startswith("session=alices")
    world.client.cookies.clear()  # the next caller is someone else, without cookies
    seen = (await world.client.get("/api/v1/courses/c-1")).json()["headers"]
    assert "cookie" not in seen
