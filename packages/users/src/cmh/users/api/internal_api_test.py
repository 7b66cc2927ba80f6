import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.contracts.http.users import (
    EntitlementsResponse,
    PreferencesResponse,
    UserLookupResponse,
)
from cmh.kernel.sql.tables import outbox
from cmh.users.adapters.sql.tables import audit_log
from cmh_testing.users.http import UsersApi, assert_problem


async def test_payments_sets_the_tier_with_a_service_token(api: UsersApi) -> None:
    user_id, _ = await api.learner()
    payments = await api.service("payments")

    response = await api.client.put(
        f"/internal/v1/users/{user_id}/tier",
        headers=payments,
        json={"tier": "pro", "reason": "sub_123 active"},
    )

    assert response.status_code == 200
    assert response.json() == {"user_id": user_id, "tier": "pro"}
    engine = await api.container.get(AsyncEngine)
    async with engine.connect() as conn:
        events = (
            (await conn.execute(select(outbox.c.event_type).where(outbox.c.key == user_id)))
            .scalars()
            .all()
        )
        actions = (
            await conn.execute(
                select(audit_log.c.action, audit_log.c.actor_id).where(
                    audit_log.c.user_id == user_id
                )
            )
        ).all()
    assert "user.tier_changed" in events
    assert ("tier_changed", "service:payments") in actions


async def test_learners_cannot_set_tiers_and_bad_input_names_the_field(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    forbidden = await api.client.put(
        f"/internal/v1/users/{user_id}/tier",
        headers=learner,
        json={"tier": "team", "reason": "why not"},
    )
    assert_problem(forbidden, 403, "service_only")
    payments = await api.service()
    bad_tier = await api.client.put(
        f"/internal/v1/users/{user_id}/tier", headers=payments, json={"tier": "gold", "reason": "x"}
    )
    assert_problem(bad_tier, 422, "validation_failed", field="tier")
    unknown = await api.client.put(
        "/internal/v1/users/nobody/tier", headers=payments, json={"tier": "pro", "reason": "x"}
    )
    assert_problem(unknown, 404, "not_found")


async def test_entitlements_follow_the_contract(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    courses = await api.service("courses")

    response = await api.client.get(f"/internal/v1/users/{user_id}/entitlements", headers=courses)

    entitlements = msgspec.json.decode(response.content, type=EntitlementsResponse)
    assert entitlements == EntitlementsResponse(
        user_id=user_id,
        tier="free",
        roles=["learner"],
        course_levels=["beginner"],
        lab_hours_per_month=2,
        active=True,
    )
    own = await api.client.get(f"/internal/v1/users/{user_id}/entitlements", headers=learner)
    assert own.status_code == 200
    other_id, _ = await api.learner(email="grace@example.com")
    assert_problem(
        await api.client.get(f"/internal/v1/users/{other_id}/entitlements", headers=learner),
        404,
        "not_found",
    )


async def test_preferences_follow_the_contract(api: UsersApi) -> None:
    user_id, learner = await api.learner()
    await api.client.patch("/api/v1/users/me", headers=learner, json={"interests": ["Kubernetes"]})
    response = await api.client.get(
        f"/internal/v1/users/{user_id}/preferences", headers=await api.service("analytics")
    )
    preferences = msgspec.json.decode(response.content, type=PreferencesResponse)
    assert preferences.interests == ["kubernetes"]


async def test_the_forum_finds_accounts_by_email_and_learners_may_not(api: UsersApi) -> None:
    user_id, learner = await api.learner("ada@example.com")
    asked = ["Ada@Example.com", "nobody@example.com", "not an address"]
    response = await api.client.post(
        "/internal/v1/users/lookup", json={"emails": asked}, headers=await api.service("forum")
    )
    assert response.status_code == 200, response.text
    found = msgspec.json.decode(response.content, type=UserLookupResponse)
    assert found.users == {"Ada@Example.com": user_id}
    refused = await api.client.post(
        "/internal/v1/users/lookup", json={"emails": ["ada@example.com"]}, headers=learner
    )
    assert_problem(refused, 403, "service_only")
    too_many = await api.client.post(
        "/internal/v1/users/lookup",
        json={"emails": [f"u{i}@example.com" for i in range(21)]},
        headers=await api.service("forum"),
    )
    assert too_many.status_code == 422
    assert "emails" in too_many.text
