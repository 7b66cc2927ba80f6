import pytest

from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.errors import InvalidInput
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import EmailTaken, WeakPassword
from cmh.users.domain.tokens import digest
from cmh_testing.users import UsersWorld


async def test_registration_stores_the_user_records_the_event_and_mails_a_link(
    world: UsersWorld,
) -> None:
    user = await world.registered(email="  Ada@Example.COM ")

    stored = world.stored(user.id)
    assert stored.email.value == "ada@example.com"
    assert stored.password_hash is not None
    assert "Analytical" not in stored.password_hash
    assert not stored.email_verified
    [event] = world.uow.events_of(UserRegisteredV1)
    assert event == UserRegisteredV1(
        user_id=user.id, email="ada@example.com", display_name="Ada Lovelace", role="learner"
    )
    [mail] = world.mailer.sent
    assert (mail.kind, mail.to) == ("email_verification", "ada@example.com")
    [token] = world.state.one_time_tokens.values()
    assert token.token_hash == digest(mail.token) != mail.token
    assert [e.action for e in world.state.audit_log] == [AuditAction.REGISTERED]


async def test_the_same_address_in_another_case_is_taken(world: UsersWorld) -> None:
    await world.registered(email="ada@example.com")
    with pytest.raises(EmailTaken) as error:
        await world.registered(email="ADA@example.com")
    assert error.value.code == "email_taken"
    assert len(world.state.users) == 1
    assert world.uow.commits == 1


async def test_a_weak_password_is_refused_before_anything_is_stored(world: UsersWorld) -> None:
    with pytest.raises(WeakPassword) as error:
        await world.registered(password="aaaaaaaaaaaa")
    assert error.value.field == "password"
    assert world.state.users == {}
    assert world.mailer.sent == []


async def test_a_blank_display_name_is_refused(world: UsersWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        await world.registered(display_name="   ")
    assert error.value.field == "display_name"
