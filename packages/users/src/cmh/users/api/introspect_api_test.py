"""``POST /api/v1/auth/introspect``: RFC 7662 answers, for platform services only."""

from cmh_testing.users.http import UsersApi, assert_problem


async def test_introspection_follows_rfc_7662(api: UsersApi) -> None:
    user_id, headers = await api.learner()
    token = headers["Authorization"].removeprefix("Bearer ")
    gateway = await api.service("gateway")

    active = await api.client.post(
        "/api/v1/auth/introspect", headers=gateway, json={"token": token}
    )
    assert active.status_code == 200
    assert "no-store" in active.headers["cache-control"]
    body = active.json()
    assert body["active"] is True
    assert (body["sub"], body["roles"], body["tier"], body["token_type"]) == (
        user_id,
        ["learner"],
        "free",
        "Bearer",
    )
    assert body["exp"] > body["iat"]

    inactive = await api.client.post(
        "/api/v1/auth/introspect", headers=gateway, json={"token": token + "x"}
    )
    assert inactive.status_code == 200
    assert inactive.json() == {"active": False}
    await api.client.delete("/api/v1/users/me", headers=headers)
    erased = await api.client.post(
        "/api/v1/auth/introspect", headers=gateway, json={"token": token}
    )
    assert erased.json() == {"active": False}


async def test_only_services_may_introspect(api: UsersApi) -> None:
    _, learner = await api.learner()
    _, admin = await api.admin()
    token = learner["Authorization"].removeprefix("Bearer ")

    anonymous = await api.client.post("/api/v1/auth/introspect", json={"token": token})
    assert_problem(anonymous, 401, "token_missing")
    for caller in (learner, admin):
        refused = await api.client.post(
            "/api/v1/auth/introspect", headers=caller, json={"token": token}
        )
        assert_problem(refused, 403, "service_only")
