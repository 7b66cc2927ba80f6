"""Admin and service-only routes refuse the wrong caller before reading the request: 403
whatever the body or query says, so a 422 never describes them to someone who may not use
them. Callers with the role still get the schema's 422."""

from __future__ import annotations

from cmh_testing.users.http import UsersApi, assert_problem

NOT_A_BODY = {"unknown_field": True, "roles": "admin"}


async def test_a_learner_with_an_invalid_body_or_query_is_403_on_admin_routes(
    api: UsersApi,
) -> None:
    user_id, learner = await api.learner()
    patch = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=learner, json=NOT_A_BODY
    )
    assert_problem(patch, 403, "admin_only")
    assert "unknown_field" not in patch.text
    listing = await api.client.get("/api/v1/admin/users?limit=ten", headers=learner)
    assert_problem(listing, 403, "admin_only")

    _, admin = await api.admin()
    from_admin = await api.client.patch(
        f"/api/v1/admin/users/{user_id}", headers=admin, json=NOT_A_BODY
    )
    assert from_admin.status_code == 422


async def test_a_learner_with_an_invalid_body_is_403_on_the_tier_route(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    tier = f"/internal/v1/users/{user_id}/tier"
    refused = await api.client.put(tier, headers=learner, json={"tier": 42})
    assert_problem(refused, 403, "service_only")
    from_service = await api.client.put(tier, headers=await api.service(), json={"tier": 42})
    assert from_service.status_code == 422
