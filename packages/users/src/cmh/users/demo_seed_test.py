"""The demo accounts: seeded once with their roles, tiers and documented passwords; a
second run changes nothing and says so; an account found different is put back."""

from __future__ import annotations

from cmh.kernel.auth.principal import Role
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.demo_seed import DEMO_ACCOUNTS, seed_demo_accounts
from cmh.users.domain.email import Email
from cmh_testing.users import UsersWorld


async def test_the_demo_accounts_are_seeded_once_and_log_in_with_their_passwords() -> None:
    world = await UsersWorld.open()
    lines: list[str] = []
    first = await seed_demo_accounts(world.container, lines.append)
    assert set(first.by_email) == {account.email for account in DEMO_ACCOUNTS}
    assert set(first.by_role) == {Role.LEARNER, Role.INSTRUCTOR, Role.ADMIN}
    assert f"seeding demo accounts 4/{len(DEMO_ACCOUNTS)}: pro@cloudmastershub.dev" in lines
    events_after_first = len(world.uow.committed)
    assert events_after_first > 0

    lines.clear()
    second = await seed_demo_accounts(world.container, lines.append)
    assert second.changed == ()
    assert second.by_email == first.by_email
    assert len(world.uow.committed) == events_after_first
    assert [line for line in lines if "already in place" in line] == [
        f"demo account {account.email} already in place"
        for account in sorted(DEMO_ACCOUNTS, key=lambda a: a.role is not Role.ADMIN)
    ]

    for account in DEMO_ACCOUNTS:
        tokens = await world.log_in()(email=account.email, password=account.password)
        assert tokens.access_token
        user = world.state.user_rows.get(first.by_email[account.email])
        assert user is not None
        assert user.tier.value == account.tier
        assert account.role in user.roles
    await world.close()


async def test_an_administrator_bootstrapped_with_another_password_gets_the_demo_one() -> None:
    world = await UsersWorld.open()
    admin = next(account for account in DEMO_ACCOUNTS if account.role is Role.ADMIN)
    await world.use(EnsureAdmin).execute(
        email=admin.email, password="a generated secret 0123456789", display_name="Ops"
    )

    seeded = await seed_demo_accounts(world.container)

    assert f"{admin.email}: password set to the documented one" in seeded.changed
    assert await world.log_in()(email=admin.email, password=admin.password)
    assert (await seed_demo_accounts(world.container)).changed == ()
    user = world.state.user_rows.get(seeded.by_email[admin.email])
    assert user is not None
    assert user.email == Email.parse(admin.email)
    await world.close()
