import pytest

from cmh.kernel.auth.principal import Role
from cmh.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import RefreshTokenRevoked
from cmh.users.domain.user import AccountStatus
from cmh_testing.users import UsersWorld

PASSWORD = "Analytical-Engine-1843"


async def test_learners_may_not_use_admin_use_cases(world: UsersWorld) -> None:
    ada = await world.registered()
    learner = ada.principal(token_id="j")
    with pytest.raises(Forbidden):
        await world.admin_list_users().execute(learner, cursor=None, limit=10)
    with pytest.raises(Forbidden):
        await world.admin_update_user().execute(learner, ada.id, roles=["admin"])


async def test_pages_cover_every_user_once(world: UsersWorld) -> None:
    admin = await world.admin()
    for n in range(7):
        await world.registered(email=f"user{n}@example.com")
    seen: list[str] = []
    cursor = None
    while True:
        page = await world.admin_list_users().execute(admin, cursor=cursor, limit=3)
        seen += [u.id for u in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 8


async def test_a_forged_cursor_names_the_field(world: UsersWorld) -> None:
    admin = await world.admin()
    with pytest.raises(InvalidInput) as error:
        await world.admin_list_users().execute(admin, cursor="%%%", limit=3)
    assert error.value.field == "cursor"


async def test_role_and_status_changes_are_audited_and_disabling_ends_sessions(
    world: UsersWorld,
) -> None:
    admin = await world.admin()
    ada = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)

    user = await world.admin_update_user().execute(
        admin, ada.id, roles=["learner", "instructor"], status="disabled"
    )

    assert user.roles == [Role.INSTRUCTOR.value, Role.LEARNER.value]
    assert user.status == AccountStatus.DISABLED.value
    entries = await world.audit_log.entries_of(ada.id)
    changes = [(e.action, e.actor_id) for e in entries[-2:]]
    assert changes == [
        (AuditAction.ROLES_CHANGED, admin.user_id),
        (AuditAction.STATUS_CHANGED, admin.user_id),
    ]
    assert entries[-2].detail == {"previous": "learner", "roles": "instructor,learner"}
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=session.refresh_token)


async def test_admins_cannot_lock_themselves_out(world: UsersWorld) -> None:
    admin = await world.admin()
    with pytest.raises(Conflict):
        await world.admin_update_user().execute(admin, admin.user_id, roles=["learner"])
    with pytest.raises(Conflict):
        await world.admin_update_user().execute(admin, admin.user_id, status="disabled")


async def test_bad_values_and_unknown_users(world: UsersWorld) -> None:
    admin = await world.admin()
    with pytest.raises(InvalidInput) as error:
        await world.admin_update_user().execute(admin, "nobody", status="erased")
    assert error.value.field == "status"
    with pytest.raises(NotFound):
        await world.admin_update_user().execute(admin, "nobody", roles=["learner"])


async def test_ensure_admin_promotes_an_existing_account_once(world: UsersWorld) -> None:
    ada = await world.registered()
    promoted = await world.ensure_admin().execute(
        email="ada@example.com", password=PASSWORD, display_name="Ada"
    )
    assert promoted.id == ada.id
    assert Role.ADMIN in promoted.roles
    await world.ensure_admin().execute(
        email="ada@example.com", password=PASSWORD, display_name="Ada"
    )
    actions = [e.action for e in await world.audit_log.entries_of(ada.id)]
    assert actions.count(AuditAction.ROLES_CHANGED) == 1
