from cmh_testing.users.http import UsersApi, assert_problem


async def test_learners_are_forbidden_on_admin_routes(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    assert_problem(await api.client.get("/api/v1/admin/users", headers=learner), 403, "admin_only")
    patch = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=learner, json={"roles": ["admin"]}
    )
    assert_problem(patch, 403, "admin_only")


async def test_admins_page_through_users_with_a_cursor(api: UsersApi) -> None:
    _, admin = await api.admin()
    for n in range(4):
        await api.register(email=f"user{n}@example.com")
    seen: list[str] = []
    url = "/api/v1/admin/users?limit=2"
    while url:
        page = (await api.client.get(url, headers=admin)).json()
        assert len(page["items"]) <= 2
        seen += [item["email"] for item in page["items"]]
        url = (
            f"/api/v1/admin/users?limit=2&cursor={page['next_cursor']}"
            if page["next_cursor"]
            else ""
        )
    assert sorted(seen) == sorted(["root@example.com"] + [f"user{n}@example.com" for n in range(4)])


async def test_bad_paging_values_are_rejected(api: UsersApi) -> None:
    _, admin = await api.admin()
    for query in ("limit=0", "limit=101", "limit=ten"):
        response = await api.client.get(f"/api/v1/admin/users?{query}", headers=admin)
        assert response.status_code in {400, 422}, query
        assert response.headers["content-type"].startswith("application/problem+json")
    forged = await api.client.get("/api/v1/admin/users?cursor=%25%25", headers=admin)
    assert_problem(forged, 422, "invalid_input", field="cursor")


async def test_admins_change_roles_and_status(api: UsersApi) -> None:
    user_id, _learner = await api.learner()
    _, admin = await api.admin()

    response = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=admin, json={"roles": ["learner", "instructor"]}
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["instructor", "learner"]

    disabled = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=admin, json={"status": "disabled"}
    )
    assert disabled.json()["status"] == "disabled"
    export = (await api.client.get(f"/api/v1/users/{user_id}", headers=admin)).json()
    assert export["status"] == "disabled"

    bad_role = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=admin, json={"roles": ["root"]}
    )
    assert_problem(bad_role, 422, "validation_failed", field="roles[0]")
    missing = await api.client.patch(
        "/api/v1/admin/users/nobody", headers=admin, json={"status": "active"}
    )
    assert_problem(missing, 404, "not_found")


async def test_an_admin_cannot_lock_themself_out(api: UsersApi) -> None:
    admin_id, admin = await api.admin()
    response = await api.client.patch(
        f"/api/v1/admin/users/{admin_id}", headers=admin, json={"roles": ["learner"]}
    )
    assert_problem(response, 409, "self_lockout")
