from cmh_testing.gateway.world import World


async def test_the_aggregated_document_has_both_upstreams_and_no_internal(world: World) -> None:
    response = await world.client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/users/me" in paths
    assert "/api/v1/enrollments/me" in paths
    assert "/.well-known/jwks.json" in paths
    assert not [path for path in paths if path.startswith("/internal")]
    # users' echo of /api/v1/enrollments is not routed to users: only courses' is kept.
    assert set(paths) == {
        "/api/v1/users/me",
        "/api/v1/enrollments/me",
        "/api/v1/lab/upload",
        "/.well-known/jwks.json",
    }


async def test_the_docs_ui_points_at_the_aggregated_document(world: World) -> None:
    response = await world.client.get("/schema")
    assert response.status_code == 200
    assert "/schema/openapi.json" in response.text
