import pytest

from cmh.contracts.events.users import UserTierChangedV1
from cmh.kernel.errors import Forbidden, InvalidInput, NotFound
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.roles import service_principal
from cmh.users.domain.tier import CourseLevel, Tier
from cmh_testing.users import UsersWorld

PAYMENTS = service_principal("payments")


async def test_payments_changes_the_tier_once(world: UsersWorld) -> None:
    ada = await world.registered()

    await world.change_tier().execute(
        PAYMENTS, ada.id, tier="pro", reason="subscription sub_1 active"
    )
    await world.change_tier().execute(PAYMENTS, ada.id, tier="pro", reason="webhook replay")

    assert world.stored(ada.id).tier is Tier.PRO
    assert world.uow.events_of(UserTierChangedV1) == [
        UserTierChangedV1(user_id=ada.id, previous_tier="free", tier="pro")
    ]
    [entry] = [
        e for e in await world.audit_log.entries_of(ada.id) if e.action is AuditAction.TIER_CHANGED
    ]
    assert entry.actor_id == "service:payments"
    assert entry.detail["reason"] == "subscription sub_1 active"


async def test_only_services_and_admins_change_tiers(world: UsersWorld) -> None:
    ada = await world.registered()
    with pytest.raises(Forbidden):
        await world.change_tier().execute(
            ada.principal(token_id="j"), ada.id, tier="team", reason="free upgrade"
        )
    admin = await world.admin()
    await world.change_tier().execute(admin, ada.id, tier="team", reason="support")
    with pytest.raises(InvalidInput):
        await world.change_tier().execute(admin, ada.id, tier="gold", reason="support")
    with pytest.raises(NotFound):
        await world.change_tier().execute(admin, "nobody", tier="pro", reason="support")


async def test_entitlements_follow_the_tier(world: UsersWorld) -> None:
    ada = await world.registered()
    query = world.get_entitlements()

    before = await query.execute(PAYMENTS, ada.id)
    await world.change_tier().execute(PAYMENTS, ada.id, tier="pro", reason="upgrade")
    after = await query.execute(PAYMENTS, ada.id)

    assert before.course_levels == [CourseLevel.BEGINNER.value]
    assert after.course_levels == sorted(level.value for level in CourseLevel)
    assert after.lab_hours_per_month > before.lab_hours_per_month
    assert after.active
    assert after.roles == ["learner"]


async def test_learners_read_their_own_entitlements_only(world: UsersWorld) -> None:
    ada = await world.registered()
    grace = await world.registered(email="grace@example.com")
    assert (
        await world.get_entitlements().execute(ada.principal(token_id="j"), ada.id)
    ).user_id == ada.id
    with pytest.raises(NotFound):
        await world.get_entitlements().execute(ada.principal(token_id="j"), grace.id)


async def test_erased_users_are_inactive_for_entitlements_and_gone_for_preferences(
    world: UsersWorld,
) -> None:
    ada = await world.registered()
    await world.erase_me().execute(ada.principal(token_id="j"))
    assert not (await world.get_entitlements().execute(PAYMENTS, ada.id)).active
    with pytest.raises(NotFound):
        await world.get_preferences().execute(PAYMENTS, ada.id)


async def test_preferences_for_services(world: UsersWorld) -> None:
    ada = await world.registered()
    preferences = await world.get_preferences().execute(service_principal("analytics"), ada.id)
    assert (preferences.locale, preferences.timezone, preferences.interests) == ("en", "UTC", [])


async def test_services_list_the_active_administrators(world: UsersWorld) -> None:
    await world.registered()
    root = await world.admin()
    second = await world.admin(email="ops@example.com")
    disabled = await world.admin(email="gone@example.com")
    await world.admin_update_user().execute(root, disabled.user_id, status="disabled")

    answer = await world.list_administrators().execute(service_principal("notifications"))

    assert sorted(a.email for a in answer.administrators) == [
        "ops@example.com",
        "root@example.com",
    ]
    assert {a.user_id for a in answer.administrators} == {root.user_id, second.user_id}
    with pytest.raises(Forbidden):
        await world.list_administrators().execute(
            (await world.registered("x@example.com")).principal(token_id="j")
        )
