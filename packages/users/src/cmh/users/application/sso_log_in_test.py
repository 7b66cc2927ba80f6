"""Single sign-on with the stand-in identity provider: the attempt (state, PKCE, exact
redirect URI) is spent once, codes are single use and short-lived, and an identity only
ever signs in to an account it opened or one whose owner confirmed the link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.users.application.ports import ExternalIdentity
from cmh.users.application.views import LinkRequired, TokenPair
from cmh.users.domain.errors import AccountDisabled, InvalidCredentials
from cmh.users.domain.pkce import s256_challenge
from cmh_testing.users import UsersWorld
from cmh_testing.users.app import SSO_REDIRECT
from cmh_testing.users.world import PASSWORD

SAM = "sam@sso.example.net"
VERIFIER = "v" * 43


def _session(answer: TokenPair | LinkRequired) -> TokenPair:
    assert isinstance(answer, TokenPair), answer
    return answer


def _link(answer: TokenPair | LinkRequired) -> LinkRequired:
    assert isinstance(answer, LinkRequired), answer
    return answer


class StaticIdentityProvider:
    provider = "static"

    def __init__(self, identity: ExternalIdentity) -> None:
        self.identity = identity

    def authorization_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        return f"https://idp.example.test/authorize?state={state}"

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> ExternalIdentity:
        return self.identity


async def _static_sign_in(world: UsersWorld) -> TokenPair | LinkRequired:
    started = await world.start_sso().execute(
        redirect_uri=SSO_REDIRECT, code_challenge=s256_challenge(VERIFIER)
    )
    return await world.sso_log_in().execute(code="c", state=started.state, code_verifier=VERIFIER)


async def test_a_first_sign_in_opens_a_verified_account_without_a_password(
    world: UsersWorld,
) -> None:
    session = _session(await world.sso_sign_in("sam"))

    user = world.stored(world.user_id_of(session))
    assert (user.email.value, user.email_verified, user.password_hash) == (SAM, True, None)
    assert user.display_name.value == "Sam Sso"
    assert len(world.uow.events_of(UserRegisteredV1)) == 1
    again = _session(await world.sso_sign_in("sam"))
    assert world.user_id_of(again) == world.user_id_of(session)
    assert len(world.state.users) == 1


async def test_an_existing_account_is_never_taken_over(world: UsersWorld) -> None:
    # Someone registered the address first (maybe its owner, maybe a squatter).
    existing = await world.registered(email=SAM)
    before = world.stored(existing.id)

    _link(await world.sso_sign_in("sam"))

    after = world.stored(existing.id)
    assert (after.password_hash, after.email_verified) == (before.password_hash, False)
    assert await world.log_in()(email=SAM, password=PASSWORD)  # the password still works
    assert len(world.state.users) == 1


async def test_the_owner_links_the_identity_with_the_accounts_password(world: UsersWorld) -> None:
    existing = await world.registered(email=SAM)
    link = _link(await world.sso_sign_in("sam"))

    with pytest.raises(InvalidCredentials):
        await world.confirm_sso_link()(link_token=link.link_token, password="not-the-password")
    # A wrong password does not spend the link; the right one confirms it.
    session = await world.confirm_sso_link()(link_token=link.link_token, password=PASSWORD)

    assert world.user_id_of(session) == existing.id
    user = world.stored(existing.id)
    assert user.email_verified
    assert user.password_hash is not None
    assert await world.log_in()(email=SAM, password=PASSWORD)
    assert world.user_id_of(_session(await world.sso_sign_in("sam"))) == existing.id
    with pytest.raises(InvalidInput) as spent:
        await world.confirm_sso_link()(link_token=link.link_token, password=PASSWORD)
    assert (spent.value.code, spent.value.field) == ("token_invalid", "link_token")


async def test_a_link_must_be_confirmed_in_time(world: UsersWorld) -> None:
    await world.registered(email=SAM)
    link = _link(await world.sso_sign_in("sam"))
    world.clock.advance(world.sso_policy.link_ttl)
    with pytest.raises(InvalidInput) as late:
        await world.confirm_sso_link()(link_token=link.link_token, password=PASSWORD)
    assert late.value.code == "token_expired"
    with pytest.raises(InvalidInput):
        await world.confirm_sso_link()(link_token="forged", password=PASSWORD)


async def test_an_unverified_provider_address_opens_and_links_nothing(world: UsersWorld) -> None:
    with pytest.raises(Unauthenticated) as refused:
        await world.sso_sign_in("una")
    assert refused.value.code == "sso_email_unverified"
    assert world.state.users == {}
    await world.registered(email="una@sso.example.net")
    with pytest.raises(Unauthenticated):
        await world.sso_sign_in("una")
    assert world.state.identity_links == {}


async def test_only_registered_redirect_uris_exactly(world: UsersWorld) -> None:
    for redirect_uri in (
        "http://x",
        SSO_REDIRECT + "/",
        SSO_REDIRECT + "?next=https://evil.example",
        SSO_REDIRECT.replace("https", "http"),
    ):
        with pytest.raises(InvalidInput) as refused:
            await world.start_sso().execute(
                redirect_uri=redirect_uri, code_challenge=s256_challenge(VERIFIER)
            )
        assert (refused.value.code, refused.value.field) == (
            "redirect_uri_not_registered",
            "redirect_uri",
        )
    assert world.state.sso_attempts == {}


async def test_an_attempt_is_spent_once_in_time_with_its_verifier() -> None:
    world = await UsersWorld.open(
        identity_provider=StaticIdentityProvider(
            ExternalIdentity(
                provider="static", subject="s|1", email="a@example.com", email_verified=True
            )
        )
    )
    start = world.start_sso()
    challenge = s256_challenge(VERIFIER)

    async def refused(state: str, verifier: str = VERIFIER) -> str:
        with pytest.raises(Unauthenticated) as error:
            await world.sso_log_in().execute(code="c", state=state, code_verifier=verifier)
        return error.value.code

    assert await refused("never-issued") == "sso_state_invalid"
    used = (await start.execute(redirect_uri=SSO_REDIRECT, code_challenge=challenge)).state
    _session(await world.sso_log_in().execute(code="c", state=used, code_verifier=VERIFIER))
    assert await refused(used) == "sso_state_invalid"  # replayed
    late = (await start.execute(redirect_uri=SSO_REDIRECT, code_challenge=challenge)).state
    world.clock.advance(world.sso_policy.attempt_ttl)
    assert await refused(late) == "sso_state_invalid"
    stolen = (await start.execute(redirect_uri=SSO_REDIRECT, code_challenge=challenge)).state
    assert await refused(stolen, "w" * 43) == "sso_state_invalid"  # not the verifier
    assert await refused(stolen) == "sso_state_invalid"  # and now spent


async def test_codes_are_single_use_and_short_lived(world: UsersWorld) -> None:
    idp = world.local_idp

    async def code_for(username: str = "sam") -> tuple[str, str]:
        started = await world.start_sso().execute(
            redirect_uri=SSO_REDIRECT, code_challenge=s256_challenge(VERIFIER)
        )
        request = idp.authorize_request(
            {
                "client_id": "cloudmastershub",
                "response_type": "code",
                "redirect_uri": SSO_REDIRECT,
                "state": started.state,
                "code_challenge": s256_challenge(VERIFIER),
                "code_challenge_method": "S256",
            }
        )
        back = idp.sign_in(request, username, "sso-the-cloud-42")
        code = back.split("code=", 1)[1].split("&", 1)[0]
        return code, started.state

    code, state = await code_for()
    _session(await world.sso_log_in().execute(code=code, state=state, code_verifier=VERIFIER))
    _, fresh_state = await code_for()
    with pytest.raises(Unauthenticated) as replayed:
        await world.sso_log_in().execute(code=code, state=fresh_state, code_verifier=VERIFIER)
    assert replayed.value.code == "sso_code_invalid"
    late_code, late_state = await code_for()
    world.clock.advance(timedelta(seconds=61))
    with pytest.raises(Unauthenticated) as late:
        await world.sso_log_in().execute(code=late_code, state=late_state, code_verifier=VERIFIER)
    assert late.value.code == "sso_code_invalid"


async def test_a_disabled_linked_account_stays_out(world: UsersWorld) -> None:
    admin = await world.admin()
    session = _session(await world.sso_sign_in("sam"))
    await world.admin_update_user().execute(admin, world.user_id_of(session), status="disabled")
    with pytest.raises(AccountDisabled):
        await world.sso_sign_in("sam")


async def test_erasure_unlinks_the_identity(world: UsersWorld) -> None:
    first = _session(await world.sso_sign_in("sam"))
    await world.erase_me().execute(world.stored(world.user_id_of(first)).principal(token_id="t"))
    assert world.state.identity_links == {}
    world.clock.advance(timedelta(seconds=1))
    second = _session(await world.sso_sign_in("sam"))
    assert world.user_id_of(second) != world.user_id_of(first)


async def test_an_unusable_name_falls_back_to_the_mailbox_name() -> None:
    world = await UsersWorld.open(
        identity_provider=StaticIdentityProvider(
            ExternalIdentity(
                provider="static",
                subject="s|2",
                email="alan@example.com",
                email_verified=True,
                name="\u200b\u200b",
            )
        )
    )
    session = _session(await _static_sign_in(world))
    assert world.stored(world.user_id_of(session)).display_name.value == "alan"
