"""Through the HTTP API: a disabled or erased account's access token is 401 at once."""

from cmh_testing.users.http import UsersApi, assert_problem


async def test_a_disabled_accounts_token_stops_working_at_once(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    _, admin = await api.admin()
    assert (await api.client.get("/api/v1/users/me", headers=learner)).status_code == 200

    disabled = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=admin, json={"status": "disabled"}
    )
    assert disabled.status_code == 200

    assert_problem(await api.client.get("/api/v1/users/me", headers=learner), 401, "token_revoked")
    assert (await api.client.get("/api/v1/users/me", headers=admin)).status_code == 200


async def test_an_erased_accounts_token_stops_working_at_once(api: UsersApi) -> None:
    _, learner = await api.learner()
    assert (await api.client.delete("/api/v1/users/me", headers=learner)).status_code == 204
    for method, path in (("GET", "/api/v1/users/me"), ("DELETE", "/api/v1/users/me")):
        response = await api.client.request(method, path, headers=learner)
        assert_problem(response, 401, "token_revoked")
