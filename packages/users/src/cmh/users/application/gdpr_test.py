import pytest

from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.errors import NotFound
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import RefreshTokenRevoked
from cmh.users.domain.user import AccountStatus
from cmh_testing.users import UsersWorld

PASSWORD = "Analytical-Engine-1843"


async def test_the_export_holds_profile_audit_and_sessions(world: UsersWorld) -> None:
    ada = await world.registered()
    await world.log_in()(email="ada@example.com", password=PASSWORD)

    export = await world.export_my_data().execute(ada.principal(token_id="j"))

    assert export.user.id == ada.id
    assert [e.action for e in export.audit_log] == [
        AuditAction.REGISTERED,
        AuditAction.LOGIN_SUCCEEDED,
    ]
    assert len(export.sessions) == 1


async def test_erasure_anonymises_revokes_and_tells_the_other_contexts(world: UsersWorld) -> None:
    ada = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)
    caller = ada.principal(token_id="j")

    await world.erase_me().execute(caller)

    stored = world.stored(ada.id)
    assert stored.status is AccountStatus.ERASED
    assert "ada" not in stored.email.value
    assert stored.display_name.value == "Erased user"
    assert world.state.one_time_tokens == {}
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=session.refresh_token)
    assert world.uow.events_of(UserErasureRequestedV1) == [UserErasureRequestedV1(user_id=ada.id)]
    assert world.state.audit_log[-1].action is AuditAction.ERASED
    with pytest.raises(NotFound):
        await world.get_user().execute(caller, ada.id)
    with pytest.raises(NotFound):
        await world.erase_me().execute(caller)


async def test_the_address_is_free_again_after_erasure(world: UsersWorld) -> None:
    ada = await world.registered()
    await world.erase_me().execute(ada.principal(token_id="j"))
    again = await world.registered()
    assert again.id != ada.id
