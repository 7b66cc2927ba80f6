import pytest

from cmh.kernel.errors import NotFound
from cmh.users.application.set_password import SetPassword
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import InvalidCredentials, RefreshTokenRevoked
from cmh_testing.users import UsersWorld

PASSWORD = "Analytical-Engine-1843"
NEW_PASSWORD = "Difference-Engine-1822"


async def test_an_operator_sets_a_password_and_every_session_ends(world: UsersWorld) -> None:
    ada = await world.registered(password=PASSWORD)
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)

    await world.use(SetPassword).execute(email="ada@example.com", password=NEW_PASSWORD)

    assert await world.log_in()(email="ada@example.com", password=NEW_PASSWORD)
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password=PASSWORD)
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=session.refresh_token)
    entries = await world.audit_log.entries_of(ada.id)
    assert [e.action for e in entries].count(AuditAction.PASSWORD_RESET) == 1


async def test_the_password_an_account_has_changes_nothing(world: UsersWorld) -> None:
    ada = await world.registered(password=PASSWORD)
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)
    audited = len(await world.audit_log.entries_of(ada.id))

    await world.use(SetPassword).execute(email="ada@example.com", password=PASSWORD)

    assert len(await world.audit_log.entries_of(ada.id)) == audited
    assert await world.refresh().execute(refresh_token=session.refresh_token)


async def test_an_unknown_account_is_not_found(world: UsersWorld) -> None:
    with pytest.raises(NotFound):
        await world.use(SetPassword).execute(email="nobody@example.com", password=NEW_PASSWORD)
