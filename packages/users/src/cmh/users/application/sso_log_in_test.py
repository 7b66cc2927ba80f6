import pytest

from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.errors import Unauthenticated
from cmh.users.application.ports import ExternalIdentity
from cmh.users.domain.errors import InvalidCredentials
from cmh.users.testing import UsersWorld

REDIRECT = "https://app.example.com/callback"


class StaticIdentityProvider:
    def __init__(self, identity: ExternalIdentity) -> None:
        self.identity = identity

    async def exchange_code(self, *, code: str, redirect_uri: str) -> ExternalIdentity:
        return self.identity


async def test_a_first_sign_in_opens_a_verified_account(world: UsersWorld) -> None:
    session = await world.sso_log_in()(code="local:Grace@Example.com", redirect_uri=REDIRECT)

    user = world.stored(session.user_id)
    assert user.email.value == "grace@example.com"
    assert user.email_verified
    assert user.password_hash is None
    assert user.display_name.value == "Grace"
    assert len(world.uow.events_of(UserRegisteredV1)) == 1


async def test_a_later_sign_in_finds_the_same_account(world: UsersWorld) -> None:
    first = await world.sso_log_in()(code="local:grace@example.com", redirect_uri=REDIRECT)
    second = await world.sso_log_in()(code="local:GRACE@example.com", redirect_uri=REDIRECT)
    assert first.user_id == second.user_id
    assert len(world.state.users) == 1


async def test_signing_in_to_a_squatted_address_voids_the_squatters_password(
    world: UsersWorld,
) -> None:
    squatter = await world.registered(email="grace@example.com")
    session = await world.sso_log_in()(code="local:grace@example.com", redirect_uri=REDIRECT)
    assert session.user_id == squatter.id
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="grace@example.com", password="Analytical-Engine-1843")


async def test_an_unverified_provider_email_is_refused() -> None:
    world = UsersWorld(
        identity_provider=StaticIdentityProvider(
            ExternalIdentity(
                provider="auth0", subject="auth0|1", email="eve@example.com", email_verified=False
            )
        )
    )
    with pytest.raises(Unauthenticated) as error:
        await world.sso_log_in()(code="any", redirect_uri=REDIRECT)
    assert error.value.code == "sso_email_unverified"
    assert world.state.users == {}


async def test_an_unusable_name_falls_back_to_the_mailbox_name() -> None:
    world = UsersWorld(
        identity_provider=StaticIdentityProvider(
            ExternalIdentity(
                provider="auth0",
                subject="auth0|2",
                email="alan@example.com",
                email_verified=True,
                name="\u200b\u200b",
            )
        )
    )
    session = await world.sso_log_in()(code="any", redirect_uri=REDIRECT)
    assert world.stored(session.user_id).display_name.value == "alan"


async def test_a_malformed_local_code_is_refused(world: UsersWorld) -> None:
    with pytest.raises(Unauthenticated) as error:
        await world.sso_log_in()(code="grace@example.com", redirect_uri=REDIRECT)
    assert error.value.code == "sso_code_invalid"
